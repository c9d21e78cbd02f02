import type { Executor } from '../../db/index.js';
import { addTimelineEntry, updateIncidentIn, type Incident } from '../incidents/index.js';
import { selectEscalationOfIncident, updateEscalationRow } from './oncall.store.js';

/**
 * Puts an acknowledged incident back to triggered and restarts its escalation at the first
 * level, inside the caller's transaction (which should hold the incident's lock): what
 * PagerDuty does when an acknowledgement times out, a snooze ends or an incident is reassigned.
 * The first acknowledgement stays (MTTA counts to it). A new epoch makes every level page again,
 * though the same people were paged before. An incident without an escalation (declared by hand,
 * or its service has no policy) only changes status. Returns false, changing nothing, when the
 * incident is not acknowledged.
 */
export async function retriggerIncidentIn(
  db: Executor,
  incident: Incident,
  opts: { at: number; actorName: string; message: string },
): Promise<boolean> {
  if (incident.status !== 'acknowledged') return false;
  await updateIncidentIn(db, incident.id, { status: 'triggered' }, opts.at);
  await addTimelineEntry(db, {
    incidentId: incident.id,
    at: opts.at,
    kind: 'incident.retriggered',
    actorName: opts.actorName,
    message: opts.message,
  });
  const esc = await selectEscalationOfIncident(db, incident.id);
  if (esc)
    await updateEscalationRow(db, esc.id, {
      level: 0,
      round: 0,
      epoch: esc.epoch + 1,
      next_at: opts.at,
      status: 'active',
      updated_at: opts.at,
    });
  return true;
}
