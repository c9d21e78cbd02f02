import type { Executor } from '../../db/index.js';
import { addTimelineEntry, loadIncident } from '../incidents/index.js';
import { resolveTargets, type EscalationLevel } from './escalation.js';
import { pagePeople } from './escalation.service.js';
import { queueListMessages } from './notify-prefs.service.js';
import { selectDisabledUserIds, selectPolicy, selectSchedules } from './oncall.store.js';
import { onCallAt } from './schedules.service.js';

/** Who is on call at `now` for a level's targets (users, schedules, teams' schedules). */
async function onCallOfLevel(
  db: Executor,
  targets: EscalationLevel['targets'],
  now: number,
): Promise<string[]> {
  const onCall = new Map<string, string | undefined>();
  const scheduleIds = new Set(targets.filter((t) => t.type === 'schedule').map((t) => t.id));
  const teamSchedules = new Map<string, string[]>();
  const teams = targets.filter((t) => t.type === 'team').map((t) => t.id);
  if (teams.length)
    for (const s of await selectSchedules(db, teams)) {
      teamSchedules.set(s.team_id, [...(teamSchedules.get(s.team_id) ?? []), s.id]);
      scheduleIds.add(s.id);
    }
  for (const id of scheduleIds) onCall.set(id, await onCallAt(db, id, now));
  const people = resolveTargets(
    targets,
    (id) => onCall.get(id),
    (t) => teamSchedules.get(t) ?? [],
  );
  const disabled = await selectDisabledUserIds(db, people);
  return people.filter((u) => !disabled.has(u));
}

/**
 * Tells people of a low-urgency incident ("error" severity: handled within 24 hours, nobody
 * woken), inside the caller's transaction, once per incident: the service's distribution list
 * (email addresses, a Slack channel), and — when `policyId` is given (the key may be null: the
 * service has no policy) — whoever is on call at the first level of the service's escalation
 * policy, at low urgency (their low-urgency rules; no further level is paged). The timeline says
 * who was told, or that nobody was. Returns how many messages and people it reached.
 */
export async function queueDistributionList(
  db: Executor,
  input: {
    incidentId: string;
    emails: readonly string[];
    slackChannel: string | null;
    message: string;
    at: number;
    /** The service's escalation policy (null: none); omitted, only the list is told. */
    policyId?: string | null;
  },
): Promise<number> {
  const listed = await queueListMessages(db, input);
  if (input.policyId === undefined) return listed;
  const hasList = input.emails.length > 0 || input.slackChannel !== null;
  const policy = input.policyId ? await selectPolicy(db, input.policyId) : undefined;
  const incident = await loadIncident(db, input.incidentId);
  const note = (message: string) =>
    addTimelineEntry(db, {
      incidentId: input.incidentId,
      at: input.at,
      kind: 'notification.low_urgency',
      actorName: 'tocsin',
      message,
    });
  if (!policy || !incident) {
    if (!hasList)
      await note(
        'Nobody was told of this low-urgency incident: the service has no escalation policy and no distribution list',
      );
    return listed;
  }
  const first = (JSON.parse(policy.levels_json) as EscalationLevel[])[0];
  const people = first ? await onCallOfLevel(db, first.targets, input.at) : [];
  if (people.length === 0) {
    await note(
      hasList
        ? `Low urgency: nobody on call at level 1 of ${policy.name} to tell; the distribution list was told`
        : `Nobody was told of this low-urgency incident: nobody is on call at level 1 of ${policy.name} and the service has no distribution list`,
    );
    return listed;
  }
  const { paged, appOnly } = await pagePeople(
    db,
    { id: input.incidentId, urgency: 'low' },
    people,
    input.at,
    {
      key: (u) => `low:${input.incidentId}:${u}`,
      reason: 'low-urgency',
      level: 0,
      round: null,
      message: `[#${incident.number}] ${incident.title}`,
    },
  );
  if (paged.length === 0) return listed;
  await note(
    `Low urgency: told ${paged.join(', ')} (on call at level 1 of ${policy.name}) by their low-urgency rules; no further level is paged`,
  );
  for (const name of appOnly)
    await note(`${name} has no low-urgency notification rules: reached in the app only`);
  return listed + paged.length;
}
