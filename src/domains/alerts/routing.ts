import { allMatch, type Matcher } from '../muting/index.js';
import {
  defaultSeverityRouting,
  type Route,
  type Severity,
  type SeverityRouting,
} from '../services/index.js';
import { storableText } from '../../core/text.js';
import type { NormalizedEvent } from './event.js';

/** Response target for `notify`-routed incidents: handle within a working day. */
export const notifyResponseTargetMs = 24 * 60 * 60 * 1000;

/**
 * Who hears of a low-urgency (`notify`) incident when it opens: the service's distribution list,
 * and the on-call of its policy's first level by their low-urgency rules (queueDistributionList).
 * One shape for the ingest path and for an alert routed when its mute ends.
 */
export function lowUrgencyNotice(
  svc: {
    settings: { notifyEmails: readonly string[]; notifySlackChannel: string | null };
    escalationPolicyId: string | null;
  },
  incidentId: string,
  summary: string,
  at: number,
) {
  return {
    incidentId,
    emails: svc.settings.notifyEmails,
    slackChannel: svc.settings.notifySlackChannel,
    message: summary.slice(0, 300),
    at,
    policyId: svc.escalationPolicyId ?? null,
  };
}

/** Severity → route for a service. */
export function routeBySeverity(
  severity: Severity,
  routing: SeverityRouting = defaultSeverityRouting,
): Route {
  return routing[severity];
}

/** What an event rule does to a matching event. */
export interface EventRuleActions {
  severity?: Severity | undefined;
  /** Send the event to another service (of the same team). */
  routeToServiceId?: string | undefined;
  /** Store it as suppressed: visible, counted, routes nowhere. */
  suppress?: boolean | undefined;
  /** Do not store it at all. */
  drop?: boolean | undefined;
}

export interface EventRule {
  id: string;
  teamId: string;
  position: number;
  name: string;
  matchers: Matcher[];
  actions: EventRuleActions;
  enabled: boolean;
}

/** The event after the rules, and what they decided. */
export interface RuledEvent {
  event: NormalizedEvent;
  serviceId: string;
  outcome: 'continue' | 'suppress' | 'drop';
  ruleIds: string[];
}

/**
 * Applies a team's event rules in position order. Rules match on the event's labels plus its
 * fields (summary, severity, source, component, group, class). Severity and service changes
 * accumulate; the first rule that drops or suppresses stops evaluation.
 */
export function applyEventRules(
  event: NormalizedEvent,
  serviceId: string,
  rules: readonly EventRule[],
): RuledEvent {
  let current = event;
  let target = serviceId;
  const ruleIds: string[] = [];
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.position - b.position);
  for (const rule of ordered) {
    if (!allMatch(rule.matchers, matchableFields(current))) continue;
    ruleIds.push(rule.id);
    if (rule.actions.drop) return { event: current, serviceId: target, outcome: 'drop', ruleIds };
    if (rule.actions.severity) current = { ...current, severity: rule.actions.severity };
    if (rule.actions.routeToServiceId) target = rule.actions.routeToServiceId;
    if (rule.actions.suppress)
      return { event: current, serviceId: target, outcome: 'suppress', ruleIds };
  }
  return { event: current, serviceId: target, outcome: 'continue', ruleIds };
}

/**
 * The label set rules and silences see (and the alert keeps): its main fields, then the event's
 * own labels, which win where the names meet. An Alertmanager alert's `severity="page"` stays
 * `page`, so a silence copied from Alertmanager matches it; Tocsin's severity is the alert's own
 * field.
 */
export function matchableFields(
  event: Pick<
    NormalizedEvent,
    'labels' | 'summary' | 'severity' | 'source' | 'component' | 'group' | 'class'
  >,
): Record<string, string> {
  const fields: Record<string, string> = {
    summary: event.summary,
    severity: event.severity,
    ...(event.source ? { source: event.source } : {}),
    ...(event.component ? { component: event.component } : {}),
    ...(event.group ? { group: event.group } : {}),
    ...(event.class ? { class: event.class } : {}),
    ...event.labels,
  };
  // Lone surrogates (from JSON escapes) as a store keeps them, so the stored labels are valid
  // JSON for Postgres too and compare equal to what was matched.
  // fromEntries defines properties, so a `__proto__` label stays a label.
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      storableText(name, Infinity),
      storableText(String(value), Infinity),
    ]),
  );
}
