import { allMatch, type Matcher } from './matchers.js';

/** A silence: mutes matching alerts of the team between startsAt and endsAt. */
export interface Silence {
  id: string;
  teamId: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
  createdAt: number;
}

/** A maintenance window over some services (scheduled, or immediate when startsAt is now). */
export interface MaintenanceWindow {
  id: string;
  teamId: string;
  serviceIds: string[];
  startsAt: number;
  endsAt: number;
  description: string;
  createdBy: string;
  createdAt: number;
}

/**
 * An inhibition rule: while an open alert matches the source matchers, alerts matching the
 * target matchers that share the values of the `equal` labels are muted (Alertmanager's
 * inhibit_rules: a "cluster down" alert silences that cluster's "service slow" alerts). As in
 * Alertmanager, a source inhibits whether or not it is itself muted: silencing the known
 * "cluster down" must not turn that cluster's warnings into pages.
 */
export interface InhibitRule {
  id: string;
  teamId: string;
  name: string;
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
  createdAt: number;
}

/** What the mute decision looks at for one alert. */
export interface MuteInput {
  serviceId: string;
  labels: Record<string, string>;
  /** The alert's own id, so it never inhibits itself. */
  alertId?: string;
}

/** The muting rules in force for a team, and its open alerts (candidate inhibition sources). */
export interface MuteContext {
  now: number;
  silences: Silence[];
  maintenance: MaintenanceWindow[];
  inhibitRules: InhibitRule[];
  openAlerts: Array<{ id: string; labels: Record<string, string> }>;
}

export type MuteDecision = { kind: 'silence' | 'maintenance' | 'inhibition'; id: string } | null;

/** True while a time window is in force at `now` (start inclusive, end exclusive). */
export function isActive(w: { startsAt: number; endsAt: number }, now: number): boolean {
  return w.startsAt <= now && now < w.endsAt;
}

/**
 * Whether an alert is muted, and by what. Maintenance first (the service is being worked on),
 * then silences, then inhibition. Pure: the caller loads the context.
 */
export function decideMute(alert: MuteInput, ctx: MuteContext): MuteDecision {
  const window = ctx.maintenance.find(
    (w) => isActive(w, ctx.now) && w.serviceIds.includes(alert.serviceId),
  );
  if (window) return { kind: 'maintenance', id: window.id };
  const silence = ctx.silences.find(
    (s) => isActive(s, ctx.now) && allMatch(s.matchers, alert.labels),
  );
  if (silence) return { kind: 'silence', id: silence.id };
  for (const rule of ctx.inhibitRules) {
    if (!allMatch(rule.targetMatchers, alert.labels)) continue;
    // As Alertmanager: an alert on both sides of a rule is not inhibited by another such alert
    // (nor by itself), so two of them never mute each other.
    const bothSides = allMatch(rule.sourceMatchers, alert.labels);
    const source = ctx.openAlerts.find(
      (a) =>
        a.id !== alert.alertId &&
        allMatch(rule.sourceMatchers, a.labels) &&
        !(bothSides && allMatch(rule.targetMatchers, a.labels)) &&
        rule.equal.every((l) => (a.labels[l] ?? '') === (alert.labels[l] ?? '')),
    );
    if (source) return { kind: 'inhibition', id: rule.id };
  }
  return null;
}

/** A team's muting rules without the open alerts (what `loadMuteRules` returns). */
export type MuteRules = Omit<MuteContext, 'openAlerts' | 'now'>;

/**
 * Everything in a team's rules that can change a mute decision, as canonical text: equal for
 * equal rules, whatever order they were read in. The re-judge module compares it to decide which
 * teams to look at again when the configuration counter moves.
 */
export function muteRulesFingerprint(rules: MuteRules): string {
  const byId = <T extends { id: string }>(xs: T[]) =>
    [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify([
    byId(rules.silences).map((s) => [s.id, s.startsAt, s.endsAt, s.matchers]),
    byId(rules.maintenance).map((w) => [w.id, w.startsAt, w.endsAt, w.serviceIds]),
    byId(rules.inhibitRules).map((r) => [r.id, r.sourceMatchers, r.targetMatchers, r.equal]),
  ]);
}

/**
 * The next instant after `now` a silence or maintenance window of `rules` starts or ends (when
 * the decisions may change without any write), or null when none will.
 */
export function nextMuteBoundary(rules: MuteRules, now: number): number | null {
  let next: number | null = null;
  for (const w of [...rules.silences, ...rules.maintenance])
    for (const t of [w.startsAt, w.endsAt]) if (t > now && (next === null || t < next)) next = t;
  return next;
}
