import { sql } from 'kysely';
import { newId } from '../../core/ids.js';
import { preparedInsertMany, type Executor, type NewRow } from '../../db/index.js';
import { responseDefaults, type Urgency } from './incident.js';
import { nextIncidentNumbers, selectOpenIncidentImpacting } from './incidents.store.js';

/** What alerts need of an open incident: which one, and its urgency (a page raises a low one). */
interface OpenIncident {
  id: string;
  urgency: Urgency;
  /** The row, while the incident was opened by this batch and is not written yet. */
  draft?: Omit<NewRow<'incidents'>, 'number'>;
}

const incidentColumns = [
  'id',
  'number',
  'title',
  'service_id',
  'team_id',
  'status',
  'urgency',
  'group_key',
  'response_due_at',
  'alert_count',
  'created_at',
  'last_alert_at',
  'acknowledged_at',
  'acknowledged_by',
  'resolved_at',
  'resolved_by',
  'description',
  'severity',
  'priority',
  'business_impact',
  'customer_impacting',
  'source',
  'declared_by',
  'mitigated_at',
  'mitigated_by',
  'conference_url',
  'war_room_json',
  'war_room_channel_id',
  'last_update_at',
  'reminder_at',
  'updated_at',
] as const;
const insertIncidentRows = preparedInsertMany('incidents', incidentColumns);
const insertTimelineRows = preparedInsertMany('incident_timeline', [
  'id',
  'incident_id',
  'at',
  'kind',
  'actor_name',
  'message',
  'data_json',
]);

const groupOf = (serviceId: string, groupKey: string) => `${serviceId}\u0000${groupKey}`;

/**
 * An incident an alert was joining was resolved by another transaction before the join was
 * written. The ingest transaction rolls back and is run again, and then opens a new incident.
 */
export class IncidentResolvedMeanwhile extends Error {
  constructor(readonly incidentId: string) {
    super(`incident ${incidentId} was resolved while an alert was joining it`);
    this.name = 'IncidentResolvedMeanwhile';
  }
}

/**
 * The incidents the alerts of one ingest transaction open or join. An alert joins, first, the
 * open incident of its service and group key; else the newest open incident a responder marked its
 * service as impacted by (the web tier's SEV2 lists Cache, so the cache's alerts join it instead of
 * paging again); else it opens a new one. A `page` alert joining a low-urgency incident raises it
 * to high urgency.
 *
 * Deciding reads (the open incidents of many group keys in one statement), but never writes: new
 * incidents, the counts of joined ones and timeline entries are kept here and written by
 * `writeIncidents` (before the alerts that reference them) and `writeTimeline`, a few statements
 * for the whole transaction instead of about ten per alert. Incidents opened here are found by
 * the alerts after them. Numbers are taken when the incidents are written, in the order opened.
 */
export class AlertIncidents {
  /** Open incident by service and group key (null: known to have none). */
  private readonly byGroup = new Map<string, OpenIncident | null>();
  /** The incident marked as impacting a service (null: none). */
  private readonly impacting = new Map<string, OpenIncident | null>();
  /** One object per incident, however it was found, so a raise is seen by every lookup. */
  private readonly byId = new Map<string, OpenIncident>();
  private drafts: OpenIncident[] = [];
  /** Alerts joined to incidents that exist already: how many, the last one's instant, raise. */
  private joins = new Map<string, { count: number; at: number; raise: boolean }>();
  private timeline: NewRow<'incident_timeline'>[] = [];

  /** Reads the open incidents of these group keys of a service, in one statement. */
  async prefetch(db: Executor, serviceId: string, groupKeys: string[]): Promise<void> {
    const unknown = [...new Set(groupKeys)].filter((k) => !this.byGroup.has(groupOf(serviceId, k)));
    if (unknown.length === 0) return;
    for (const k of unknown) this.byGroup.set(groupOf(serviceId, k), null);
    for (let i = 0; i < unknown.length; i += 500) {
      const rows = await db
        .selectFrom('incidents')
        .select(['id', 'urgency', 'group_key'])
        .where('service_id', '=', serviceId)
        .where('group_key', 'in', unknown.slice(i, i + 500))
        .where('status', '<>', sql.lit('resolved'))
        .execute();
      for (const r of rows)
        this.byGroup.set(groupOf(serviceId, r.group_key!), this.known(r.id, r.urgency as Urgency));
    }
  }

  /** The incident an alert opens or joins (nothing is written yet). */
  async openOrJoin(
    db: Executor,
    input: {
      serviceId: string;
      teamId: string;
      groupKey: string;
      title: string;
      urgency: Urgency;
      responseDueAt: number | null;
      now: number;
      actorName: string;
      alertSummary: string;
    },
  ): Promise<{ incidentId: string; opened: boolean; raised: boolean }> {
    const key = groupOf(input.serviceId, input.groupKey);
    if (!this.byGroup.has(key)) await this.prefetch(db, input.serviceId, [input.groupKey]);
    let existing = this.byGroup.get(key) ?? null;
    if (!existing) {
      if (!this.impacting.has(input.serviceId)) {
        const row = await selectOpenIncidentImpacting(db, input.serviceId);
        this.impacting.set(
          input.serviceId,
          row ? this.known(row.id, row.urgency as Urgency) : null,
        );
      }
      existing = this.impacting.get(input.serviceId) ?? null;
    }
    if (existing) {
      const raised = existing.urgency === 'low' && input.urgency === 'high';
      if (raised) existing.urgency = 'high';
      if (existing.draft) {
        existing.draft.alert_count = (existing.draft.alert_count ?? 0) + 1;
        existing.draft.last_alert_at = input.now;
        if (raised) Object.assign(existing.draft, { urgency: 'high', response_due_at: null });
      } else {
        const join = this.joins.get(existing.id) ?? { count: 0, at: input.now, raise: false };
        join.count++;
        join.at = input.now;
        join.raise ||= raised;
        this.joins.set(existing.id, join);
      }
      this.addTimeline(
        existing.id,
        input.now,
        'alert.attached',
        input.actorName,
        `Alert joined: ${input.alertSummary}`,
      );
      if (raised)
        this.addTimeline(
          existing.id,
          input.now,
          'incident.urgency_raised',
          input.actorName,
          'Urgency raised to high by a paging alert',
        );
      return { incidentId: existing.id, opened: false, raised };
    }
    const draft = {
      ...responseDefaults,
      id: newId(),
      title: input.title.slice(0, 500),
      service_id: input.serviceId,
      team_id: input.teamId,
      status: 'triggered',
      urgency: input.urgency,
      group_key: input.groupKey,
      response_due_at: input.responseDueAt,
      alert_count: 1,
      created_at: input.now,
      last_alert_at: input.now,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      source: 'alert',
      updated_at: input.now,
    };
    const opened: OpenIncident = { id: draft.id, urgency: input.urgency, draft };
    this.byId.set(opened.id, opened);
    this.byGroup.set(key, opened);
    this.drafts.push(opened);
    this.addTimeline(
      draft.id,
      input.now,
      'incident.opened',
      input.actorName,
      input.urgency === 'high'
        ? 'Opened by a paging alert'
        : 'Opened with a 24-hour response target',
    );
    this.addTimeline(
      draft.id,
      input.now,
      'alert.attached',
      input.actorName,
      `Alert: ${input.alertSummary}`,
    );
    return { incidentId: draft.id, opened: true, raised: false };
  }

  private known(id: string, urgency: Urgency): OpenIncident {
    let ref = this.byId.get(id);
    if (!ref) this.byId.set(id, (ref = { id, urgency }));
    return ref;
  }

  /**
   * Forgets what was read: an incident changed status in the transaction (an alert's resolve
   * resolved it), so the next alert of its group must look again. Call after `writeIncidents`.
   */
  forgetLookups(): void {
    this.byGroup.clear();
    this.impacting.clear();
    this.byId.clear();
  }

  /** A timeline entry of an incident this batch opened or joined, written with the others. */
  addTimeline(
    incidentId: string,
    at: number,
    kind: string,
    actorName: string,
    message: string,
  ): void {
    this.timeline.push({
      id: newId(),
      incident_id: incidentId,
      at,
      kind,
      actor_name: actorName,
      message,
      data_json: null,
    });
  }

  /** Writes the new incidents (numbered in the order opened) and the counts of joined ones. */
  async writeIncidents(db: Executor): Promise<void> {
    if (this.drafts.length > 0) {
      const drafts = this.drafts;
      this.drafts = [];
      const numbers = await nextIncidentNumbers(db, drafts.length);
      await insertIncidentRows(
        db,
        drafts.map((d, i) => {
          const row = { ...d.draft!, number: numbers[i]! };
          // Written: later joins count in SQL, like those of any other existing incident.
          delete d.draft;
          return row;
        }),
      );
    }
    if (this.joins.size > 0) {
      const joins = this.joins;
      this.joins = new Map();
      for (const [id, join] of joins) {
        const result = await db
          .updateTable('incidents')
          .set({
            // Counted in SQL, so concurrent joins on Postgres are all counted.
            alert_count: sql<number>`alert_count + ${join.count}`,
            last_alert_at: join.at,
            ...(join.raise ? { urgency: 'high', response_due_at: null } : {}),
          })
          .where('id', '=', id)
          // Read as open, but resolved since (on Postgres this waits for a resolve in flight,
          // which locks the incident before counting its open alerts): join nothing.
          .where('status', '<>', sql.lit('resolved'))
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw new IncidentResolvedMeanwhile(id);
      }
    }
  }

  /** Writes the timeline entries (after `writeIncidents`: they reference the incidents). */
  async writeTimeline(db: Executor): Promise<void> {
    if (this.timeline.length === 0) return;
    const rows = this.timeline;
    this.timeline = [];
    await insertTimelineRows(db, rows);
  }
}
