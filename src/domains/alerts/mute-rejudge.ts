import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.js';
import {
  inTransaction,
  isUniqueViolation,
  type Database,
  type Executor,
  type Row,
} from '../../db/index.js';
import {
  acknowledgeIncidentIn,
  addTimelineEntry,
  AlertIncidents,
  IncidentResolvedMeanwhile,
  lockIncidentIn,
  updateIncidentIn,
} from '../incidents/index.js';
import {
  allMatch,
  decideMute,
  describeMute,
  loadAllMuteRules,
  loadMuteRules,
  muteRulesFingerprint,
  nextMuteBoundary,
  type InhibitRule,
  type Matcher,
  type MuteContext,
  type MuteDecision,
  type MuteInput,
  type MuteRules,
} from '../muting/index.js';
import { queueDistributionList, retriggerIncidentIn, startEscalation } from '../oncall/index.js';
import { loadService, type Severity } from '../services/index.js';
import {
  insertAlertEvent,
  lockAlert,
  selectInhibitionCandidates,
  updateAlertRow,
} from './alerts.store.js';
import {
  countUnmutedOpenAlertsOfIncident,
  insertRejudgeRow,
  requestRejudge,
  selectLastAcknowledgements,
  selectOpenAlertsOfTeamAfter,
  selectRejudgeDirty,
  selectRejudgeDue,
  selectRejudgeNext,
  selectRejudgeRows,
  selectRejudgeVersion,
  selectTeamIds,
  updateRejudgeRow,
  updateRejudgeRules,
  updateRejudgeVersion,
} from './mute-rejudge.store.js';
import { lowUrgencyNotice, notifyResponseTargetMs, routeBySeverity } from './routing.js';

/*
 * Muting re-judged when muting changes (ADR 0004, addendum 2026-11-22b). An alert's mute is
 * decided at each of its events on the ingest path; the `mute-rejudge` engine module decides it
 * again for a team's open alerts when the team's rules change (a silence, maintenance window or
 * inhibition rule created, expired, ended, deleted: found by comparing a fingerprint of the rules
 * when the configuration counter moves), when a window's start or end passes (`next_at`), and
 * when an alert that is an inhibition source opens or resolves (asked for by the ingest path in
 * its transaction). An alert that becomes muted acknowledges its incident on the muting's behalf
 * once all the incident's open alerts are muted; one that becomes unmuted is routed as a fresh
 * trigger, and re-triggers an incident that muting acknowledged.
 */

/** How many candidate sources per inhibition rule are read, at most (newest first). */
export const inhibitionScanLimit = 5000;

/** Timeline kind of the entry that says an incident was acknowledged on a muting's behalf. */
export const mutedTimelineKind = 'incident.muted';

/**
 * The label values an inhibition source of `rule` must have, for a target with `labels`: its
 * plain equality source matchers, and the `equal` labels the target has (a source of a target
 * without the label must lack it too, which a lookup cannot say).
 */
export function inhibitionEquals(
  rule: { sourceMatchers: Matcher[]; equal: string[] },
  labels: Record<string, string>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of rule.sourceMatchers)
    if (!m.isRegex && m.isEqual && m.value !== '') out.push([m.name, m.value]);
  for (const name of rule.equal) if (labels[name]) out.push([name, labels[name]]);
  return out;
}

/** Whether an alert with `labels` is a source of one of `rules` (its opening or resolving may change other alerts' mutes). */
export function isInhibitionSource(
  rules: readonly InhibitRule[],
  labels: Record<string, string>,
): boolean {
  return rules.some((r) => allMatch(r.sourceMatchers, labels));
}

export { requestRejudge };

/**
 * The mute decision for an alert at `now`, reading the team's open alerts only when some
 * inhibition rule targets it (as the ingest path does).
 */
export async function decideMuteNow(
  db: Executor,
  teamId: string,
  input: MuteInput,
  rules: MuteRules,
  now: number,
  /** Candidate reads kept for one pass: targets sharing the looked-for labels read them once. */
  candidates?: Map<string, Array<{ id: string; labels_json: string }>>,
): Promise<MuteDecision> {
  const muted = decideMute(input, { ...rules, now, openAlerts: [] });
  if (muted || !rules.inhibitRules.some((r) => allMatch(r.targetMatchers, input.labels)))
    return muted;
  const rows = new Map<string, { id: string; labels_json: string }>();
  for (const rule of rules.inhibitRules) {
    if (!allMatch(rule.targetMatchers, input.labels)) continue;
    const equals = inhibitionEquals(rule, input.labels);
    const key = JSON.stringify([teamId, equals]);
    let found = candidates?.get(key);
    if (!found) {
      found = await selectInhibitionCandidates(db, teamId, equals, inhibitionScanLimit);
      candidates?.set(key, found);
    }
    for (const row of found) rows.set(row.id, row);
  }
  const openAlerts: MuteContext['openAlerts'] = [...rows.values()].map((a) => ({
    id: a.id,
    labels: JSON.parse(a.labels_json) as Record<string, string>,
  }));
  return decideMute(input, { ...rules, now, openAlerts });
}

/**
 * An alert of `incidentId` became muted: when the incident is still triggered and all its open
 * alerts are muted, acknowledges it on the muting's behalf (which stops its escalation), with a
 * timeline entry saying why. Inside the caller's transaction; true if it acknowledged.
 */
export async function acknowledgeIfAllMuted(
  db: Executor,
  incidentId: string,
  mute: NonNullable<MuteDecision>,
  now: number,
): Promise<boolean> {
  const incident = await lockIncidentIn(db, incidentId);
  if (!incident || incident.status !== 'triggered') return false;
  if ((await countUnmutedOpenAlertsOfIncident(db, incidentId)) > 0) return false;
  const { label } = await describeMute(db, mute.kind, mute.id, now);
  if (!(await acknowledgeIncidentIn(db, incidentId, now, label))) return false;
  // No acknowledgement timeout: nobody acknowledged it who could let it lapse; it pages again
  // when an alert stops being muted (retriggerIfAckedByMuting).
  await updateIncidentIn(
    db,
    incidentId,
    { retrigger_at: null, retrigger_reason: null, retrigger_set_at: null },
    now,
  );
  await addTimelineEntry(db, {
    incidentId,
    at: now,
    kind: mutedTimelineKind,
    actorName: label,
    message: `All its open alerts are muted (by ${label}): acknowledged on the muting's behalf, escalation stopped. It pages again if an alert stops being muted while it fires.`,
    data: { muteKind: mute.kind, muteId: mute.id },
  });
  return true;
}

/**
 * An alert of `incidentId` stopped being muted while it fires: when muting acknowledged the
 * incident (its newest acknowledgement is not newer than its newest `incident.muted` entry, so no
 * person acknowledged it since), puts it back to triggered and restarts its escalation. Inside
 * the caller's transaction; true if it re-triggered.
 */
export async function retriggerIfAckedByMuting(
  db: Executor,
  incidentId: string,
  message: string,
  now: number,
): Promise<boolean> {
  const incident = await lockIncidentIn(db, incidentId);
  if (!incident || incident.status !== 'acknowledged') return false;
  const last = await selectLastAcknowledgements(db, incidentId);
  if (last.muted === null || (last.acknowledged !== null && last.acknowledged > last.muted))
    return false;
  return retriggerIncidentIn(db, incident, { at: now, actorName: 'tocsin', message });
}

/** Why an alert's mute ended, for its history and its incident's timeline. */
async function unmuteWhy(db: Executor, alert: Row<'alerts'>, now: number): Promise<string> {
  if (!alert.muted_kind || !alert.muted_by) return 'its muting ended';
  const d = await describeMute(db, alert.muted_kind, alert.muted_by, now);
  return d.over === 'its source resolved'
    ? `the source of ${d.label} resolved`
    : `${d.label} ${d.over}`;
}

const sameMute = (a: MuteDecision, kind: string | null, id: string | null) =>
  (a?.kind ?? null) === kind && (a?.id ?? null) === id;

/** Worth running again: a concurrent writer got there first (as on the ingest path). */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return (
    isUniqueViolation(err) ||
    err instanceof IncidentResolvedMeanwhile ||
    code === '40P01' ||
    code === '40001'
  );
}

/** The re-judge pass (the `mute-rejudge` engine module); see the comment at the top. */
export class MuteRejudge {
  constructor(
    private readonly deps: { db: Kysely<Database>; onNewWork?: (() => void) | undefined },
  ) {}

  /**
   * One pass at `now`: finds the teams to look at again, then judges at most `batch` of their
   * open alerts, continuing where the last pass stopped. Returns the work done (0: nothing to do).
   */
  async runOnce(now: number, batch: number): Promise<number> {
    let processed = await this.compareFingerprints(now);
    processed += await this.passBoundaries(now);
    processed += await this.scan(now, batch);
    return processed;
  }

  /** The earliest window boundary still ahead (the engine sleeps until it). */
  async nextDueAt(): Promise<number | undefined> {
    return selectRejudgeNext(this.deps.db);
  }

  private static hash(rules: MuteRules): string {
    return createHash('sha256').update(muteRulesFingerprint(rules)).digest('base64url');
  }

  /**
   * When the configuration counter moved since the last pass: fingerprints every team's rules
   * and asks for a re-judge of the teams whose fingerprint changed. Two small reads otherwise.
   */
  private async compareFingerprints(now: number): Promise<number> {
    const { db } = this.deps;
    const version = Number(
      (
        await db
          .selectFrom('config_version')
          .select('version')
          .where('id', '=', 1)
          .executeTakeFirst()
      )?.version ?? 0,
    );
    const seen = await selectRejudgeVersion(db);
    if (version === seen) return 0;
    // Read after the counter: a change committed in between moves it again, and is seen next pass.
    const all = await loadAllMuteRules(db, now);
    const rows = new Map((await selectRejudgeRows(db)).map((r) => [r.team_id, r]));
    const empty: MuteRules = { silences: [], maintenance: [], inhibitRules: [] };
    const teams = new Set([...all.keys(), ...rows.keys()]);
    // The first pass after the upgrade looks at every team once: alerts muted by a window that
    // ended before it are unmuted too.
    if (seen === -1) for (const t of await selectTeamIds(db)) teams.add(t);
    let changed = 0;
    for (const teamId of teams) {
      const rules = all.get(teamId) ?? empty;
      const set = { rules_hash: MuteRejudge.hash(rules), next_at: nextMuteBoundary(rules, now) };
      const row = rows.get(teamId);
      if (!row) {
        await insertRejudgeRow(db, { team_id: teamId, ...set });
        changed++;
      } else if (row.rules_hash !== set.rules_hash) {
        await updateRejudgeRules(db, teamId, set, true);
        changed++;
      } else if ((row.next_at === null ? null : Number(row.next_at)) !== set.next_at) {
        await updateRejudgeRules(db, teamId, set, false);
      }
    }
    await updateRejudgeVersion(db, version);
    return changed;
  }

  /** Teams a window of which started or ended since: a re-judge each, and their next boundary. */
  private async passBoundaries(now: number): Promise<number> {
    const { db } = this.deps;
    const due = await selectRejudgeDue(db, now);
    for (const row of due) {
      const rules = await loadMuteRules(db, row.team_id, now);
      await updateRejudgeRules(
        db,
        row.team_id,
        { rules_hash: MuteRejudge.hash(rules), next_at: nextMuteBoundary(rules, now) },
        true,
      );
    }
    return due.length;
  }

  /**
   * Judges the open alerts of teams with a re-judge asked for, in id order from each team's
   * cursor, `batch` at most in all. A scan runs to its end even if asked again meanwhile; the
   * request that came during it starts another scan afterwards.
   */
  private async scan(now: number, batch: number): Promise<number> {
    const { db } = this.deps;
    let budget = batch;
    let processed = 0;
    for (const row of await selectRejudgeDirty(db)) {
      if (budget <= 0) break;
      const scanGen = Number(row.scan_gen ?? row.dirty);
      const cursor = row.scan_gen === null ? '' : (row.cursor ?? '');
      const rules = await loadMuteRules(db, row.team_id, now);
      const limit = budget;
      const alerts = await selectOpenAlertsOfTeamAfter(db, row.team_id, cursor, limit);
      const candidates = new Map<string, Array<{ id: string; labels_json: string }>>();
      for (const alert of alerts) await this.judge(alert, rules, now, candidates);
      budget -= alerts.length;
      processed += alerts.length + 1;
      if (alerts.length < limit)
        await updateRejudgeRow(db, row.team_id, { judged: scanGen, scan_gen: null, cursor: null });
      else
        await updateRejudgeRow(db, row.team_id, { scan_gen: scanGen, cursor: alerts.at(-1)!.id });
    }
    return processed;
  }

  /** Decides one alert again and applies a changed decision in its own transaction. */
  private async judge(
    alert: Row<'alerts'>,
    rules: MuteRules,
    now: number,
    candidates: Map<string, Array<{ id: string; labels_json: string }>>,
  ): Promise<void> {
    const input = {
      serviceId: alert.service_id,
      labels: JSON.parse(alert.labels_json) as Record<string, string>,
      alertId: alert.id,
    };
    const muted = await decideMuteNow(this.deps.db, alert.team_id, input, rules, now, candidates);
    if (sameMute(muted, alert.muted_kind, alert.muted_by)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const newWork = await inTransaction(this.deps.db, (trx) =>
          this.apply(trx, alert, muted, now),
        );
        if (newWork) this.deps.onNewWork?.();
        return;
      } catch (err) {
        if (attempt >= 3 || !isRetryable(err)) throw err;
      }
    }
  }

  /** Applies a changed decision under the alert's lock; true when an incident changed. */
  private async apply(
    trx: Executor,
    seen: Row<'alerts'>,
    muted: MuteDecision,
    now: number,
  ): Promise<boolean> {
    const alert = await lockAlert(trx, seen.id);
    // Resolved meanwhile (never reopened), or its own event decided again meanwhile.
    if (
      !alert ||
      alert.status === 'resolved' ||
      alert.muted_kind !== seen.muted_kind ||
      alert.muted_by !== seen.muted_by
    )
      return false;
    if (muted) {
      const { label } = await describeMute(trx, muted.kind, muted.id, now);
      await updateAlertRow(trx, alert.id, { muted_kind: muted.kind, muted_by: muted.id });
      await insertAlertEvent(trx, {
        id: newId(),
        alert_id: alert.id,
        at: now,
        action: 'mute',
        actor_name: 'tocsin',
        note: `muted by ${label}`,
      });
      // Only an alert that was not muted can leave its incident without an unmuted alert.
      if (alert.muted_kind === null && alert.incident_id)
        return acknowledgeIfAllMuted(trx, alert.incident_id, muted, now);
      return false;
    }
    const why = await unmuteWhy(trx, alert, now);
    await updateAlertRow(trx, alert.id, { muted_kind: null, muted_by: null });
    await insertAlertEvent(trx, {
      id: newId(),
      alert_id: alert.id,
      at: now,
      action: 'unmute',
      actor_name: 'tocsin',
      note: `no longer muted: ${why}`,
    });
    // Past its endsAt it is about to resolve (expire-alerts), not firing: route nothing.
    if (alert.ends_at !== null && alert.ends_at <= now) return false;
    if (alert.incident_id)
      return retriggerIfAckedByMuting(
        trx,
        alert.incident_id,
        `Paging again: ${why}, and an alert of the incident still fires (${alert.summary.slice(0, 200)})`,
        now,
      );
    return routeUnmuted(trx, alert, why, now);
  }
}

/**
 * Routes an alert that stopped being muted and has no incident as a fresh trigger would be at
 * `now`: by its severity and its service's routing, opening or joining an incident by its group
 * key, starting an escalation for a new (or raised) paging incident, telling the distribution
 * list of a new `notify` incident. True when an incident was opened or joined.
 */
async function routeUnmuted(
  trx: Executor,
  alert: Row<'alerts'>,
  why: string,
  now: number,
): Promise<boolean> {
  const svc = await loadService(trx, alert.service_id);
  if (!svc) return false;
  const route = routeBySeverity(alert.severity as Severity, svc.settings.routing);
  if (route !== 'page' && route !== 'notify') {
    if (route !== alert.route) await updateAlertRow(trx, alert.id, { route });
    return false;
  }
  const actorName = `tocsin (${why})`.slice(0, 300);
  const incidents = new AlertIncidents();
  const { incidentId, opened, raised } = await incidents.openOrJoin(trx, {
    serviceId: svc.id,
    teamId: svc.teamId,
    groupKey: alert.group_key,
    title: alert.summary,
    urgency: route === 'page' ? 'high' : 'low',
    responseDueAt: route === 'notify' ? now + notifyResponseTargetMs : null,
    now,
    actorName,
    alertSummary: alert.summary.slice(0, 300),
  });
  await incidents.writeIncidents(trx);
  await updateAlertRow(trx, alert.id, { route, incident_id: incidentId });
  await incidents.writeTimeline(trx);
  if (route === 'page' && (opened || raised)) {
    if (svc.escalationPolicyId) await startEscalation(trx, incidentId, svc.escalationPolicyId, now);
    else
      await addTimelineEntry(trx, {
        incidentId,
        at: now,
        kind: 'escalation.none',
        actorName: 'tocsin',
        message: `${svc.name} has no escalation policy: nobody is paged`,
      });
  }
  if (route === 'notify' && opened)
    await queueDistributionList(trx, lowUrgencyNotice(svc, incidentId, alert.summary, now));
  await insertAlertEvent(trx, {
    id: newId(),
    alert_id: alert.id,
    at: now,
    action: 'route',
    actor_name: 'tocsin',
    note: `routed: ${route}${opened ? ' (opened an incident)' : ' (joined an incident)'}`,
  });
  return true;
}
