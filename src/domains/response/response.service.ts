import type { Kysely } from 'kysely';
import { canInTeam, isOrgAdmin, roleInTeam, userIdOf, type Actor } from '../../core/actor.js';
import { pool, settledOrAfter } from '../../core/async.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { AppError, forbidden, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import type { AlertsService } from '../alerts/index.js';
import type { AuditService } from '../audit/index.js';
import {
  acknowledgeIncidentIn,
  addTimelineEntry,
  createIncidentIn,
  loadIncident,
  lockIncidentIn,
  mitigateIncidentIn,
  responseTimes,
  updateIncidentIn,
  type Incident,
  type IncidentsService,
  type IncidentStatus,
  type TimelineEntry,
} from '../incidents/index.js';
import { loadUserActor } from '../identity/index.js';
import { pageUsers, queueUpdateMessages, startEscalation } from '../oncall/index.js';
import { loadService } from '../services/index.js';
import { parseSlashCommand, slashHelp, type WarRoomPort } from './war-room.js';
import {
  checkTransition,
  defaultResponseSettings,
  exportMarkdown,
  nextReminderAt,
  warRoomName,
  urgencyOfSeverity,
  type ResponseRole,
  type ResponseSettings,
} from './response.js';
import type {
  CreateTicketInput,
  DeclareInput,
  NoteInput,
  UpdateIncidentInput,
} from './response.schema.js';
import {
  claimWarRoomTry,
  deleteIncidentServices,
  deleteRoles,
  deleteSubscription,
  insertAttachment,
  insertChecklistItems,
  insertIncidentServices,
  insertRole,
  insertSubscription,
  insertTicket,
  insertUpdate,
  linkTicket,
  lockTicket,
  recordWarRoomTry,
  selectAttachment,
  selectChatMessageSeen,
  selectChecklist,
  selectDueReminders,
  selectIncidentByWarRoom,
  selectIncidentServices,
  selectIncidentsNeedingWarRoom,
  selectNextReminder,
  selectResponderSlackIds,
  selectOrgSetting,
  selectChangesAround,
  selectRelatedIncidents,
  selectRoles,
  selectSubscribers,
  selectTicket,
  selectTickets,
  selectTimelineVersion,
  selectUpdates,
  teamExists,
  warRoomTryName,
  updateChecklistItem,
  upsertOrgSetting,
} from './response.store.js';

/** Saves response settings over the current ones inside the caller's write (first start). */
export async function saveResponseSettingsIn(
  db: Executor,
  input: { patch: Partial<ResponseSettings>; by: string; now: number },
): Promise<void> {
  const row = await selectOrgSetting(db, 'response');
  const current = row ? (JSON.parse(row.value_json) as Partial<ResponseSettings>) : {};
  await upsertOrgSetting(db, {
    key: 'response',
    value_json: JSON.stringify({ ...current, ...input.patch }),
    updated_by: input.by,
    updated_at: input.now,
  });
}

/** Everything the incident page shows besides the timeline. */
/** How far before an incident opened its page looks for changes (deploys) to its services. */
const changesLookbackMs = 24 * 3_600_000;

/** A change event's stored links; anything unreadable is left out. */
function parseLinks(json: string | null): Array<{ href: string; text?: string }> {
  if (json === null) return [];
  try {
    const links = JSON.parse(json) as unknown;
    return Array.isArray(links)
      ? links.filter(
          (l): l is { href: string; text?: string } =>
            typeof l === 'object' &&
            l !== null &&
            typeof (l as { href?: unknown }).href === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export interface IncidentDetail {
  incident: Incident;
  services: Array<{ id: string; name: string }>;
  roles: Array<{ role: ResponseRole; userId: string; name: string; assignedAt: number }>;
  checklist: Array<{
    id: string;
    role: ResponseRole;
    text: string;
    doneAt: number | null;
    doneBy: string | null;
  }>;
  updates: Array<{
    id: string;
    at: number;
    authorName: string;
    status: string;
    message: string;
    recipients: number;
  }>;
  related: Array<{
    id: string;
    number: number;
    title: string;
    status: string;
    severity: string | null;
    createdAt: number;
  }>;
  /**
   * What changed: change events of the incident's services and of the services they depend on
   * (of teams the reader can see), from 24 h before it opened until it resolved, newest first.
   */
  changes: Array<{
    id: string;
    serviceId: string;
    serviceName: string;
    /** Sent for a service the impacted ones depend on, not for an impacted one. */
    dependency: boolean;
    summary: string;
    source: string | null;
    occurredAt: number;
    links: Array<{ href: string; text?: string }>;
  }>;
  tickets: Ticket[];
  times: {
    toAcknowledgeMs: number | null;
    toMitigateMs: number | null;
    toResolveMs: number | null;
  };
  subscribed: boolean;
}

/** A customer's ticket. */
export interface Ticket {
  id: string;
  teamId: string;
  customerName: string;
  customerEmail: string;
  subject: string;
  body: string;
  source: string;
  externalRef: string | null;
  incidentId: string | null;
  createdBy: string;
  createdAt: number;
}

const roleNames: Record<ResponseRole, string> = {
  commander: 'incident commander',
  communications: 'communications lead',
  recovery: 'the recovery team',
  root_cause: 'the root-cause team',
};
/** One person holds these; the teams hold many. */
const singleHolder = new Set<ResponseRole>(['commander', 'communications']);

/**
 * The war-room port as the engine drives it: `WarRoomPort`, plus what a port may honour for
 * retries — `adoptExisting` (an earlier try may have made the channel before failing: a channel
 * of that name the app is in is this room, not a reason for `-2`) and `retryable` on a failure
 * (Slack or the network was unwell; worth another try later). A port without them gets one try.
 */
export interface RetryingWarRoomPort {
  available(): Promise<boolean>;
  open(
    input: Parameters<WarRoomPort['open']>[0] & { adoptExisting?: boolean },
  ): Promise<
    | { ok: true; channelId: string; channelName: string }
    | { ok: false; reason: string; retryable?: boolean }
  >;
}

/**
 * How long a claimed war-room try is its node's. Well over what a try takes (six or so Slack
 * calls of at most the notifier timeout each); a try still running past it may be made again by
 * another node, which then adopts the channel rather than making a second.
 */
const warRoomClaimMs = 15 * 60_000;
/** The waits before the 2nd, 3rd … try after a transient failure; then the room is given up. */
const warRoomBackoffMs = [60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000];
const warRoomMaxTries = warRoomBackoffMs.length + 1;
/** War rooms opened at once by one pass (Slack's conversations.create allows ~20 a minute). */
const warRoomConcurrency = 4;

function toTicket(r: NonNullable<Awaited<ReturnType<typeof selectTicket>>>): Ticket {
  return {
    id: r.id,
    teamId: r.team_id,
    customerName: r.customer_name,
    customerEmail: r.customer_email,
    subject: r.subject,
    body: r.body,
    source: r.source,
    externalRef: r.external_ref,
    incidentId: r.incident_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * Incident response (the incidents issue): declaring by hand or from a ticket, classification,
 * the status path triggered → acknowledged → mitigated → resolved, roles with checklists (the
 * commander is paged), notes with attachments, stakeholder updates to subscribers with
 * reminders when they lapse, the Markdown export. Every change writes the timeline in the same
 * transaction. Permission: a responder of the incident's team acts; anyone in it reads.
 */
export class ResponseService {
  /** Incidents whose war-room try this node runs now (queued, or waiting on Slack). */
  private readonly warRoomTries = new Set<string>();
  /** The passes whose war-room tries still run. */
  private readonly warRoomPasses = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      incidents: IncidentsService;
      alerts: AlertsService;
      /** Wakes the engine (escalation, war room) after a commit. */
      onNewWork?: () => void;
      /** The Tocsin user behind a Slack member id (a verified Slack contact method). */
      userBySlackId?: (slackUserId: string) => Promise<string | undefined>;
      /** A user's current actor (roles), for acting from Slack. */
      actorOf?: (userId: string) => Promise<Actor | undefined>;
    },
  ) {}

  // ---- settings

  /** The organisation's response settings (defaults where nothing is saved). */
  async settings(db: Executor = this.deps.db): Promise<ResponseSettings> {
    const row = await selectOrgSetting(db, 'response');
    return row
      ? { ...defaultResponseSettings, ...(JSON.parse(row.value_json) as Partial<ResponseSettings>) }
      : defaultResponseSettings;
  }

  async saveSettings(actor: Actor, patch: Partial<ResponseSettings>): Promise<ResponseSettings> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins change response settings');
    const next = { ...(await this.settings()), ...patch };
    if (patch.ticketTeamId !== undefined || patch.ticketServiceId !== undefined)
      await this.checkTicketIntake(next);
    await inTransaction(this.deps.db, async (trx) => {
      await upsertOrgSetting(trx, {
        key: 'response',
        value_json: JSON.stringify(next),
        updated_by: actor.name,
        updated_at: this.deps.clock.now(),
      });
      await this.deps.audit.record(trx, actor, {
        action: 'response_settings.saved',
        targetType: 'org_settings',
        targetId: 'response',
        after: next,
      });
    });
    return next;
  }

  /**
   * Ticket intake names a team that exists and, when set, a service of that team: tickets are
   * recorded for the team and declared on the service, so a wrong id would break intake for all.
   */
  private async checkTicketIntake(s: ResponseSettings): Promise<void> {
    if (s.ticketTeamId !== null && !(await teamExists(this.deps.db, s.ticketTeamId)))
      throw invalid('TEAM_NOT_FOUND', 'ticketTeamId', `ticketTeamId: no team ${s.ticketTeamId}`);
    if (s.ticketServiceId === null) return;
    const service = await loadService(this.deps.db, s.ticketServiceId);
    if (!service)
      throw invalid(
        'SERVICE_NOT_FOUND',
        'ticketServiceId',
        `ticketServiceId: no service ${s.ticketServiceId}`,
      );
    if (service.teamId !== s.ticketTeamId)
      throw invalid(
        'SERVICE_NOT_IN_TEAM',
        'ticketServiceId',
        'ticketServiceId: the service must belong to the ticket-intake team',
      );
  }

  // ---- reading

  private async readable(actor: Actor, id: string): Promise<Incident> {
    return this.deps.incidents.get(actor, id);
  }

  private async writable(actor: Actor, id: string): Promise<Incident> {
    const incident = await this.readable(actor, id);
    if (!canInTeam(actor, incident.teamId, 'responder'))
      throw forbidden('Responders of the team manage the incident');
    return incident;
  }

  /** The incident page's data. */
  async detail(actor: Actor, id: string): Promise<IncidentDetail> {
    const incident = await this.readable(actor, id);
    const db = this.deps.db;
    await this.ensureChecklist(db, incident.id);
    const services = await selectIncidentServices(db, id);
    const serviceIds = services.length ? services.map((s) => s.id) : [incident.serviceId];
    const userId = actor.type === 'user' ? actor.userId : undefined;
    const subscribers = userId ? await selectSubscribers(db, id, []) : [];
    return {
      incident,
      services: services.length
        ? services
        : [
            {
              id: incident.serviceId,
              name: (await loadService(db, incident.serviceId))?.name ?? '',
            },
          ],
      roles: (await selectRoles(db, id)).map((r) => ({
        role: r.role as ResponseRole,
        userId: r.user_id,
        name: r.name,
        assignedAt: r.assigned_at,
      })),
      checklist: (await selectChecklist(db, id)).map((c) => ({
        id: c.id,
        role: c.role as ResponseRole,
        text: c.text,
        doneAt: c.done_at,
        doneBy: c.done_by,
      })),
      updates: (await selectUpdates(db, id)).map((u) => ({
        id: u.id,
        at: u.at,
        authorName: u.author_name,
        status: u.status,
        message: u.message,
        recipients: u.recipients,
      })),
      related: (
        await selectRelatedIncidents(db, id, serviceIds, incident.createdAt - 30 * 86_400_000)
      ).map((r) => ({
        id: r.id,
        number: r.number,
        title: r.title,
        status: r.status,
        severity: r.severity,
        createdAt: r.created_at,
      })),
      changes: (
        await selectChangesAround(
          db,
          serviceIds,
          incident.createdAt - changesLookbackMs,
          incident.resolvedAt ?? this.deps.clock.now(),
          100,
        )
      )
        .filter((c) => roleInTeam(actor, c.team_id) !== undefined)
        .slice(0, 25)
        .map((c) => ({
          id: c.id,
          serviceId: c.service_id,
          serviceName: c.service_name,
          dependency: !serviceIds.includes(c.service_id),
          summary: c.summary,
          source: c.source,
          occurredAt: Number(c.occurred_at),
          links: parseLinks(c.links_json),
        })),
      // Every ticket linked to the incident, whatever team's intake took it.
      tickets: (await selectTickets(db, { incidentId: id, limit: 50 })).map(toTicket),
      times: responseTimes(incident),
      subscribed: userId !== undefined && subscribers.includes(userId),
    };
  }

  /**
   * The newest timeline id (of one incident, or of every incident the actor may see): live views
   * poll this and refetch when it moves, so it must not move for incidents of other teams.
   */
  async version(actor: Actor, id?: string): Promise<string> {
    if (id) {
      await this.readable(actor, id);
      return selectTimelineVersion(this.deps.db, { incidentId: id });
    }
    const teamIds: string[] | 'all' = isOrgAdmin(actor)
      ? 'all'
      : actor.type === 'apikey'
        ? [actor.teamId]
        : actor.type === 'user'
          ? [...actor.roles.keys()]
          : [];
    return selectTimelineVersion(this.deps.db, { teamIds });
  }

  /**
   * Checks that each service exists in a team the actor responds for: impacted services
   * join the incident's alerts and status pages, so another team's may not be attached. An
   * unknown service and one of a team the actor does not respond for look the same.
   */
  private async checkRespondableServices(
    db: Executor,
    actor: Actor,
    serviceIds: string[],
  ): Promise<void> {
    for (const sid of new Set(serviceIds)) {
      const service = await loadService(db, sid);
      if (!service || !canInTeam(actor, service.teamId, 'responder'))
        throw new AppError({
          kind: 'invalid',
          code: 'SERVICE_NOT_FOUND',
          field: 'serviceIds',
          message: `No service ${sid} that you respond for`,
        });
    }
  }

  /** The incident as Markdown, each timeline step in order with actor and time. */
  async exportMarkdown(actor: Actor, id: string): Promise<string> {
    const d = await this.detail(actor, id);
    const settings = await this.settings();
    return exportMarkdown({
      incident: d.incident,
      severityName: settings.severities.find((s) => s.id === d.incident.severity)?.name ?? null,
      services: d.services.map((s) => s.name),
      roles: d.roles.map((r) => ({ role: roleNames[r.role], name: r.name })),
      times: d.times,
      timeline: await this.deps.incidents.timeline(actor, id),
      changes: d.changes,
    });
  }

  // ---- declaring and changing

  /** Declares an incident by hand (UI, API, CLI, Slack): pages on-call for SEV1/SEV2. */
  async declare(
    actor: Actor,
    input: DeclareInput,
    source: 'manual' | 'slack' | 'ticket' = 'manual',
  ): Promise<Incident> {
    const primary = await loadService(this.deps.db, input.serviceIds[0]!);
    if (!primary || roleInTeam(actor, primary.teamId) === undefined) {
      throw new AppError({
        kind: 'invalid',
        code: 'SERVICE_NOT_FOUND',
        field: 'serviceIds',
        message: 'No such service',
      });
    }
    if (!canInTeam(actor, primary.teamId, 'responder'))
      throw forbidden('Responders declare incidents');
    await this.checkRespondableServices(this.deps.db, actor, input.serviceIds.slice(1));
    const settings = await this.settings();
    const now = this.deps.clock.now();
    const urgency = urgencyOfSeverity(input.severity);
    const incident = await inTransaction(this.deps.db, async (trx) => {
      const created = await createIncidentIn(trx, {
        title: input.title,
        description: input.description,
        serviceId: primary.id,
        teamId: primary.teamId,
        urgency,
        severity: input.severity,
        priority: input.priority,
        businessImpact: input.businessImpact,
        customerImpacting: input.customerImpacting,
        source,
        declaredBy: actor.name,
        conferenceUrl: input.conferenceUrl,
        reminderAt: nextReminderAt(input.severity, settings, now),
        now,
      });
      await insertIncidentServices(trx, created.id, [...new Set(input.serviceIds)]);
      const sev = settings.severities.find((s) => s.id === input.severity);
      await addTimelineEntry(trx, {
        incidentId: created.id,
        at: now,
        kind: 'incident.declared',
        actorName: actor.name,
        message: `${actor.name} declared ${input.severity}${sev ? ` (${sev.name})` : ''}: ${input.title}`,
      });
      if (urgency === 'high') {
        if (primary.escalationPolicyId)
          await startEscalation(trx, created.id, primary.escalationPolicyId, now);
        else
          await addTimelineEntry(trx, {
            incidentId: created.id,
            at: now,
            kind: 'escalation.none',
            actorName: 'tocsin',
            message: `${primary.name} has no escalation policy: nobody is paged`,
          });
      }
      await this.ensureChecklist(trx, created.id);
      if (input.commanderId)
        await this.assignIn(
          trx,
          actor,
          created,
          'commander',
          input.commanderId,
          now,
          'commanderId',
        );
      await this.deps.audit.record(trx, actor, {
        action: 'incident.declared',
        targetType: 'incident',
        targetId: created.id,
        teamId: created.teamId,
        after: { number: created.number, severity: input.severity, title: input.title },
      });
      return created;
    });
    this.deps.onNewWork?.();
    return incident;
  }

  /**
   * Changes title, severity, priority, impact, services, conference link; each on the timeline.
   * The incident is read locked inside the write (Postgres; SQLite runs one writer at a time), so
   * two changes take turns: a severity change says what the other one left ("SEV1 → SEV2", not
   * "SEV3 → SEV2" twice), and one racing a resolve sees it resolved — no reminder timer, no
   * escalation for a paging severity (the change itself is still recorded: classifying after
   * the fact is normal).
   */
  async update(actor: Actor, id: string, patch: UpdateIncidentInput): Promise<Incident> {
    await this.writable(actor, id);
    const now = this.deps.clock.now();
    const settings = await this.settings();
    await inTransaction(this.deps.db, async (trx) => {
      const incident = await lockIncidentIn(trx, id);
      if (!incident) throw notFound('Incident', 'INCIDENT_NOT_FOUND');
      const set: Parameters<typeof updateIncidentIn>[2] = {};
      const lines: Array<[string, string]> = [];
      if (patch.title !== undefined && patch.title !== incident.title) {
        set.title = patch.title;
        lines.push(['incident.title', `Title: ${patch.title}`]);
      }
      if (patch.description !== undefined && patch.description !== incident.description) {
        set.description = patch.description;
        lines.push(['incident.description', 'Description changed']);
      }
      if (patch.severity !== undefined && patch.severity !== incident.severity) {
        set.severity = patch.severity;
        set.urgency = urgencyOfSeverity(patch.severity);
        if (
          set.urgency === 'high' &&
          incident.urgency === 'low' &&
          incident.status === 'triggered'
        ) {
          // Raised to a paging severity: on-call is paged now (once: an escalation that
          // already exists is left as it is).
          const svc = await loadService(trx, incident.serviceId);
          if (svc?.escalationPolicyId)
            await startEscalation(trx, incident.id, svc.escalationPolicyId, now);
        }
        if (incident.status !== 'resolved')
          set.reminder_at = nextReminderAt(patch.severity, settings, incident.lastUpdateAt ?? now);
        const name = settings.severities.find((s) => s.id === patch.severity)?.name;
        lines.push([
          'incident.severity',
          `Severity ${incident.severity ?? 'unclassified'} → ${patch.severity}${name ? ` (${name})` : ''}`,
        ]);
      }
      if (patch.priority !== undefined && patch.priority !== incident.priority) {
        set.priority = patch.priority;
        lines.push([
          'incident.priority',
          `Priority ${incident.priority ?? 'none'} → ${patch.priority ?? 'none'}`,
        ]);
      }
      if (patch.businessImpact !== undefined && patch.businessImpact !== incident.businessImpact) {
        set.business_impact = patch.businessImpact;
        lines.push(['incident.impact', `Business impact: ${patch.businessImpact}`]);
      }
      if (
        patch.customerImpacting !== undefined &&
        patch.customerImpacting !== incident.customerImpacting
      ) {
        set.customer_impacting = patch.customerImpacting ? 1 : 0;
        lines.push([
          'incident.impact',
          patch.customerImpacting ? 'Marked customer-impacting' : 'Marked not customer-impacting',
        ]);
      }
      if (patch.conferenceUrl !== undefined && patch.conferenceUrl !== incident.conferenceUrl) {
        set.conference_url = patch.conferenceUrl;
        lines.push([
          'incident.conference',
          patch.conferenceUrl ? `Conference: ${patch.conferenceUrl}` : 'Conference link removed',
        ]);
      }
      if (patch.serviceIds) {
        // The primary service always stays. Services already on the incident may stay (someone
        // who responds for them attached them); added ones must be the actor's to attach.
        const current = (await selectIncidentServices(trx, id)).map((s) => s.id);
        const before = new Set(current.length ? current : [incident.serviceId]);
        const next = new Set([incident.serviceId, ...patch.serviceIds]);
        await this.checkRespondableServices(
          trx,
          actor,
          [...next].filter((sid) => !before.has(sid)),
        );
        if (next.size !== before.size || [...next].some((sid) => !before.has(sid))) {
          await deleteIncidentServices(trx, id);
          await insertIncidentServices(trx, id, [...next]);
          const names = (await selectIncidentServices(trx, id)).map((s) => s.name);
          lines.push(['incident.services', `Impacted services: ${names.join(', ')}`]);
        }
      }
      if (lines.length === 0) return;
      await updateIncidentIn(trx, id, set, now);
      for (const [kind, message] of lines)
        await addTimelineEntry(trx, {
          incidentId: id,
          at: now,
          kind,
          actorName: actor.name,
          message,
        });
      await this.deps.audit.record(trx, actor, {
        action: 'incident.updated',
        targetType: 'incident',
        targetId: id,
        teamId: incident.teamId,
        after: patch,
      });
    });
    // A severity raised to SEV1/SEV2 may need a war room now.
    this.deps.onNewWork?.();
    return this.readable(actor, id);
  }

  /** Acknowledge, mitigate (service restored), resolve. */
  async setStatus(
    actor: Actor,
    id: string,
    status: Exclude<IncidentStatus, 'triggered'>,
  ): Promise<Incident> {
    const incident = await this.writable(actor, id);
    const why = checkTransition(incident.status, status);
    if (why)
      throw new AppError({
        kind: 'conflict',
        code: 'INCIDENT_STATUS_CONFLICT',
        field: 'status',
        message: why,
      });
    const now = this.deps.clock.now();
    if (status === 'resolved') {
      await this.deps.alerts.resolveIncident(actor, incident);
    } else {
      await inTransaction(this.deps.db, async (trx) => {
        if (status === 'acknowledged')
          await acknowledgeIncidentIn(trx, id, now, actor.name, userIdOf(actor));
        else await mitigateIncidentIn(trx, id, now, actor.name, userIdOf(actor));
        await this.deps.audit.record(trx, actor, {
          action: `incident.${status}`,
          targetType: 'incident',
          targetId: id,
          teamId: incident.teamId,
        });
      });
    }
    return this.readable(actor, id);
  }

  // ---- roles and checklists

  /** Copies the role checklist templates onto an incident once. */
  private async ensureChecklist(db: Executor, incidentId: string): Promise<void> {
    if ((await selectChecklist(db, incidentId)).length > 0) return;
    const settings = await this.settings(db);
    await insertChecklistItems(
      db,
      settings.roles.flatMap((r) =>
        r.checklist.map((text, position) => ({
          id: newId(),
          incident_id: incidentId,
          role: r.id,
          position,
          text,
          done_at: null,
          done_by: null,
        })),
      ),
    );
  }

  /**
   * Gives `role` to a user inside the caller's write. The incident is locked first (Postgres;
   * SQLite runs one writer at a time): the only unique index is (incident, role, user), so two
   * people making different commanders at once would each delete the holder they saw (none, or
   * the old one) and both insert — two commanders. Locked, the second waits, then replaces the
   * first's pick.
   */
  private async assignIn(
    trx: Executor,
    actor: Actor,
    seen: Incident,
    role: ResponseRole,
    userId: string,
    now: number,
    field: 'userId' | 'commanderId' = 'userId',
  ): Promise<void> {
    const incident = await lockIncidentIn(trx, seen.id);
    if (!incident) throw notFound('Incident', 'INCIDENT_NOT_FOUND');
    // The holder is paged and works on the incident: an active user of its team (or an org
    // admin), checked before anything is written (an unknown id would fail the foreign key).
    const holder = await loadUserActor(trx, userId);
    if (!holder)
      throw new AppError({
        kind: 'invalid',
        code: 'USER_NOT_FOUND',
        field,
        message: `${field}: no active user ${userId}`,
      });
    if (roleInTeam(holder, incident.teamId) === undefined)
      throw invalid(
        'USER_NOT_IN_TEAM',
        field,
        `${field}: ${holder.name} is not a member of the incident's team`,
      );
    if (singleHolder.has(role)) await deleteRoles(trx, incident.id, role);
    const fresh = await insertRole(trx, {
      id: newId(),
      incident_id: incident.id,
      role,
      user_id: userId,
      assigned_by: actor.name,
      assigned_at: now,
    });
    if (!fresh) return;
    const name = (await selectRoles(trx, incident.id)).find(
      (r) => r.user_id === userId && r.role === role,
    )?.name;
    if (!name)
      throw new AppError({
        kind: 'invalid',
        code: 'USER_NOT_FOUND',
        field,
        message: `${field}: no such user`,
      });
    await addTimelineEntry(trx, {
      incidentId: incident.id,
      at: now,
      kind: 'role.assigned',
      actorName: actor.name,
      message:
        role === 'recovery' || role === 'root_cause'
          ? `${actor.name} added ${name} to ${roleNames[role]}`
          : `${actor.name} made ${name} ${roleNames[role]}`,
      data: { role, userId },
    });
    if (role === 'commander') {
      // The commander is paged (high urgency: their rules for pages apply).
      await pageUsers(trx, { id: incident.id, urgency: 'high' }, [userId], now, {
        key: (u) => `role:commander:${incident.id}:${u}:${now}`,
        reason: 'commander',
        level: null,
        round: null,
        message: `[#${incident.number}] You are the incident commander: ${incident.title}`,
      });
    }
  }

  /** Assigns a role (commander and communications lead have one holder; teams many). */
  async assignRole(
    actor: Actor,
    id: string,
    role: ResponseRole,
    userId: string,
  ): Promise<IncidentDetail> {
    const incident = await this.writable(actor, id);
    await inTransaction(this.deps.db, (trx) =>
      this.assignIn(trx, actor, incident, role, userId, this.deps.clock.now()),
    );
    this.deps.onNewWork?.();
    return this.detail(actor, id);
  }

  async unassignRole(actor: Actor, id: string, role: ResponseRole, userId: string): Promise<void> {
    await this.writable(actor, id);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      const before = (await selectRoles(trx, id)).find(
        (r) => r.role === role && r.user_id === userId,
      );
      if (!before || (await deleteRoles(trx, id, role, userId)) === 0)
        throw notFound('Role holder', 'ROLE_NOT_FOUND');
      await addTimelineEntry(trx, {
        incidentId: id,
        at: now,
        kind: 'role.removed',
        actorName: actor.name,
        message: `${actor.name} removed ${before.name} from ${roleNames[role]}`,
      });
    });
  }

  async addChecklistItem(
    actor: Actor,
    id: string,
    role: ResponseRole,
    text: string,
  ): Promise<void> {
    await this.writable(actor, id);
    await this.ensureChecklist(this.deps.db, id);
    const existing = (await selectChecklist(this.deps.db, id)).filter((c) => c.role === role);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      await insertChecklistItems(trx, [
        {
          id: newId(),
          incident_id: id,
          role,
          position: existing.length,
          text,
          done_at: null,
          done_by: null,
        },
      ]);
      await addTimelineEntry(trx, {
        incidentId: id,
        at: now,
        kind: 'checklist',
        actorName: actor.name,
        message: `Added to the ${roleNames[role]} checklist: ${text}`,
      });
    });
  }

  async checkItem(actor: Actor, id: string, itemId: string, done: boolean): Promise<void> {
    await this.writable(actor, id);
    const now = this.deps.clock.now();
    await inTransaction(this.deps.db, async (trx) => {
      const item = (await selectChecklist(trx, id)).find((c) => c.id === itemId);
      if (!item) throw notFound('Checklist item', 'CHECKLIST_ITEM_NOT_FOUND');
      await updateChecklistItem(trx, itemId, id, {
        done_at: done ? now : null,
        done_by: done ? actor.name : null,
      });
      await addTimelineEntry(trx, {
        incidentId: id,
        at: now,
        kind: 'checklist',
        actorName: actor.name,
        message: `${done ? 'Done' : 'Not done'}: ${item.text}`,
      });
    });
  }

  // ---- notes, updates, subscriptions

  /** A note on the timeline, with attachments (graphs, log excerpts). */
  async addNote(actor: Actor, id: string, input: NoteInput): Promise<TimelineEntry> {
    await this.writable(actor, id);
    const now = this.deps.clock.now();
    const timelineId = newId();
    const tooBig = input.attachments.findIndex(
      (a) => Buffer.byteLength(a.dataBase64, 'base64') > 2 * 1024 * 1024,
    );
    if (tooBig >= 0)
      throw new AppError({
        kind: 'invalid',
        code: 'ATTACHMENT_TOO_LARGE',
        field: `attachments.${tooBig}.dataBase64`,
        message: 'An attachment may be at most 2 MB',
      });
    const attachments = input.attachments.map((a) => ({
      id: newId(),
      name: a.name,
      contentType: a.contentType,
      size: Buffer.from(a.dataBase64, 'base64').length,
      data: a.dataBase64,
    }));
    await inTransaction(this.deps.db, async (trx) => {
      const firstLine = input.markdown.split('\n')[0]!.slice(0, 200);
      await trx
        .insertInto('incident_timeline')
        .values({
          id: timelineId,
          incident_id: id,
          at: now,
          kind: 'note',
          actor_name: actor.name,
          message: firstLine,
          data_json: JSON.stringify({
            markdown: input.markdown,
            attachments: attachments.map(({ data: _data, ...meta }) => meta),
          }),
        })
        .execute();
      for (const a of attachments) {
        await insertAttachment(trx, {
          id: a.id,
          incident_id: id,
          timeline_id: timelineId,
          name: a.name,
          content_type: a.contentType,
          size: a.size,
          data_base64: a.data,
          created_at: now,
        });
      }
    });
    return this.deps.incidents.timelineEntry(actor, id, timelineId);
  }

  async attachment(
    actor: Actor,
    id: string,
    attachmentId: string,
  ): Promise<{ name: string; contentType: string; data: Buffer }> {
    await this.readable(actor, id);
    const row = await selectAttachment(this.deps.db, id, attachmentId);
    if (!row) throw notFound('Attachment', 'ATTACHMENT_NOT_FOUND');
    return {
      name: row.name,
      contentType: row.content_type,
      data: Buffer.from(row.data_base64, 'base64'),
    };
  }

  /**
   * Posts a stakeholder update: stored, on the timeline, and sent to the subscribers of the
   * incident and of its services (email and Slack); the reminder clock restarts.
   */
  async postUpdate(
    actor: Actor,
    id: string,
    message: string,
  ): Promise<{ id: string; recipients: number }> {
    const incident = await this.writable(actor, id);
    const now = this.deps.clock.now();
    const settings = await this.settings();
    const updateId = newId();
    const recipients = await inTransaction(this.deps.db, async (trx) => {
      // Read locked, as in `update`: an update racing a resolve restarts no reminder timer.
      const current = (await lockIncidentIn(trx, id)) ?? incident;
      const services = (await selectIncidentServices(trx, id)).map((s) => s.id);
      const subscribers = await selectSubscribers(
        trx,
        id,
        services.length ? services : [incident.serviceId],
      );
      const reached = await queueUpdateMessages(trx, {
        incidentId: id,
        updateId,
        userIds: subscribers,
        message: message.slice(0, 1000),
        at: now,
      });
      await insertUpdate(trx, {
        id: updateId,
        incident_id: id,
        at: now,
        author_name: actor.name,
        status: current.status,
        message,
        recipients: reached,
      });
      await updateIncidentIn(
        trx,
        id,
        {
          last_update_at: now,
          reminder_at:
            current.status === 'resolved' ? null : nextReminderAt(current.severity, settings, now),
        },
        now,
      );
      await addTimelineEntry(trx, {
        incidentId: id,
        at: now,
        kind: 'update.posted',
        actorName: actor.name,
        message: `Update to ${reached} subscriber${reached === 1 ? '' : 's'}: ${message.slice(0, 500)}`,
        data: { updateId },
      });
      return reached;
    });
    this.deps.onNewWork?.();
    return { id: updateId, recipients };
  }

  /** Follow an incident's updates (or stop). */
  async subscribe(
    actor: Actor,
    kind: 'incident' | 'service',
    subjectId: string,
    on: boolean,
  ): Promise<void> {
    if (actor.type !== 'user') throw forbidden('Sign in as a person to subscribe', 'USER_REQUIRED');
    if (kind === 'incident') await this.readable(actor, subjectId);
    else {
      const s = await loadService(this.deps.db, subjectId);
      if (!s || roleInTeam(actor, s.teamId) === undefined)
        throw notFound('Service', 'SERVICE_NOT_FOUND');
    }
    if (on)
      await insertSubscription(this.deps.db, {
        kind,
        subject_id: subjectId,
        user_id: actor.userId,
        created_at: this.deps.clock.now(),
      });
    else await deleteSubscription(this.deps.db, kind, subjectId, actor.userId);
  }

  // ---- reminders (engine)

  /**
   * Reminds commanders whose incident has had no update for its severity's interval: an in-app
   * notification and their low-urgency rules, a timeline entry, and the next reminder set.
   */
  async remindDue(now: number, batch = 100): Promise<number> {
    const due = await selectDueReminders(this.deps.db, now, batch);
    const settings = await this.settings();
    for (const row of due) {
      await inTransaction(this.deps.db, async (trx) => {
        // Locked, so a resolve committing meanwhile is seen and nobody is reminded of it.
        const incident = await lockIncidentIn(trx, row.id);
        if (!incident || incident.status === 'resolved' || (incident.reminderAt ?? Infinity) > now)
          return;
        const commanders = (await selectRoles(trx, row.id)).filter((r) => r.role === 'commander');
        const minutes = incident.severity ? settings.reminderMinutes[incident.severity] : null;
        const since = Math.round((now - (incident.lastUpdateAt ?? incident.createdAt)) / 60_000);
        if (commanders.length) {
          await pageUsers(
            trx,
            { id: incident.id, urgency: 'low' },
            commanders.map((c) => c.user_id),
            now,
            {
              key: (u) => `reminder:${incident.id}:${incident.reminderAt}:${u}`,
              reason: 'update-reminder',
              level: null,
              round: null,
              message: `[#${incident.number}] No stakeholder update for ${since} min: post one`,
            },
          );
        }
        await addTimelineEntry(trx, {
          incidentId: incident.id,
          at: now,
          kind: 'update.reminder',
          actorName: 'tocsin',
          message: commanders.length
            ? `No update for ${since} min: reminded ${commanders.map((c) => c.name).join(', ')}`
            : `No update for ${since} min, and no commander to remind`,
        });
        await updateIncidentIn(
          trx,
          incident.id,
          { reminder_at: minutes ? now + minutes * 60_000 : null },
          now,
        );
      });
    }
    return due.length;
  }

  nextReminderAt(db: Executor = this.deps.db): Promise<number | undefined> {
    return selectNextReminder(db);
  }

  // ---- tickets

  /**
   * A customer's ticket: kept with their words and contact, owned by the ticket-intake team,
   * and linked to the incident it joins or becomes.
   */
  async createTicket(
    actor: Actor,
    input: CreateTicketInput,
    source: 'api' | 'email' = 'api',
  ): Promise<Ticket> {
    const settings = await this.settings();
    const now = this.deps.clock.now();
    let teamId = settings.ticketTeamId;
    let incident: Incident | undefined;
    if (input.incidentId) {
      incident = await this.readable(actor, input.incidentId);
      teamId = incident.teamId;
    }
    if (!teamId)
      throw new AppError({
        kind: 'conflict',
        code: 'TICKET_INTAKE_UNSET',
        message: 'No team owns ticket intake: set it in the response settings',
      });
    if (!canInTeam(actor, teamId, 'responder'))
      throw forbidden('The ticket-intake team records tickets');
    if (input.declare && !incident) {
      if (!settings.ticketServiceId)
        throw new AppError({
          kind: 'conflict',
          code: 'TICKET_SERVICE_UNSET',
          field: 'declare',
          message: 'No service for ticket incidents: set it in the response settings',
        });
      incident = await this.declare(
        actor,
        {
          title: input.subject,
          description: `Reported by ${input.customerName} <${input.customerEmail}>:\n\n${input.body}`,
          severity: input.declare,
          priority: null,
          serviceIds: [settings.ticketServiceId],
          businessImpact: '',
          customerImpacting: true,
          conferenceUrl: null,
        },
        'ticket',
      );
    }
    const row = {
      id: newId(),
      team_id: teamId,
      customer_name: input.customerName,
      customer_email: input.customerEmail,
      subject: input.subject,
      body: input.body,
      source,
      external_ref: input.externalRef ?? null,
      incident_id: incident?.id ?? null,
      created_by: actor.name,
      created_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertTicket(trx, row);
      if (incident) await this.linkIn(trx, incident.id, row, now);
    });
    return toTicket(row);
  }

  private async linkIn(
    trx: Executor,
    incidentId: string,
    t: { id: string; customer_name: string; customer_email: string; subject: string },
    now: number,
    movedFrom?: { number: number; by: string },
  ) {
    await linkTicket(trx, t.id, incidentId);
    await addTimelineEntry(trx, {
      incidentId,
      at: now,
      kind: 'ticket.linked',
      actorName: t.customer_name,
      message: `Customer ticket from ${t.customer_name} <${t.customer_email}>: ${t.subject}${
        movedFrom ? ` (moved from #${movedFrom.number} by ${movedFrom.by})` : ''
      }`,
      data: { ticketId: t.id },
    });
  }

  /**
   * Links a ticket into an incident. A ticket already linked to another incident moves, and
   * both timelines say so. That is what Zendesk and PagerDuty users expect: in Zendesk an
   * incident ticket points at one problem and agents re-point it when the cause turns out to be
   * elsewhere (a duplicate incident, a wrong first guess); refusing (409) would leave a mis-link
   * for good, as a ticket has no unlink. Moving it out of an open incident takes a responder of
   * that incident too, since its team loses the customer's report from its page. Linking to the
   * incident it is on already changes nothing.
   */
  async linkTicket(actor: Actor, ticketId: string, incidentId: string): Promise<Ticket> {
    const seen = await selectTicket(this.deps.db, ticketId);
    if (!seen || roleInTeam(actor, seen.team_id) === undefined)
      throw notFound('Ticket', 'TICKET_NOT_FOUND');
    const target = await this.writable(actor, incidentId);
    const now = this.deps.clock.now();
    return inTransaction(this.deps.db, async (trx) => {
      // Read locked: two people moving one ticket take turns, each seeing where it is now.
      const t = await lockTicket(trx, ticketId);
      if (!t) throw notFound('Ticket', 'TICKET_NOT_FOUND');
      if (t.incident_id === incidentId) return toTicket(t);
      const from = t.incident_id ? await loadIncident(trx, t.incident_id) : undefined;
      if (from) {
        if (from.status !== 'resolved' && !canInTeam(actor, from.teamId, 'responder'))
          throw forbidden(
            `The ticket is linked to #${from.number}: its responders move it`,
            'TICKET_LINKED_ELSEWHERE',
          );
        await addTimelineEntry(trx, {
          incidentId: from.id,
          at: now,
          kind: 'ticket.moved',
          actorName: actor.name,
          message: `${actor.name} moved the ticket from ${t.customer_name} (${t.subject}) to #${target.number}`,
          data: { ticketId: t.id, incidentId: target.id },
        });
      }
      await this.linkIn(
        trx,
        incidentId,
        t,
        now,
        from ? { number: from.number, by: actor.name } : undefined,
      );
      return toTicket({ ...t, incident_id: incidentId });
    });
  }

  async tickets(actor: Actor, teamIds: string[]): Promise<Ticket[]> {
    const visible = teamIds.filter((t) => roleInTeam(actor, t) !== undefined);
    return (await selectTickets(this.deps.db, { teamIds: visible, limit: 200 })).map(toTicket);
  }

  // ---- war rooms (engine and Slack)

  /**
   * Opens a Slack war room for each open incident of a war-room severity that has none: the
   * channel `#inc-<number>-<slug>`, its responders invited, the summary posted and pinned.
   *
   * Slack answers in its own time (up to the notifier timeout per call, five or more calls per
   * room), and engine modules run one after another: a pass waits for its tries at most `waitMs`
   * (`TOCSIN_NOTIFY_CYCLE_WAIT_MS`, as the send-messages module does), and slower ones finish in
   * the background, so escalations and pages of the next cycle do not wait for Slack. Each try
   * is claimed in its row first (`claimWarRoomTry`): neither another node nor this node's next
   * pass starts a second one while it runs. `drainWarRooms` waits for them (the app, on stop).
   */
  async openDueWarRooms(
    port: RetryingWarRoomPort,
    now: number,
    options: { batch?: number; waitMs?: number; logger?: Logger } = {},
  ): Promise<number> {
    const settings = await this.settings();
    const due = await selectIncidentsNeedingWarRoom(
      this.deps.db,
      settings.warRoomSeverities,
      now,
      options.batch ?? 20,
      [...this.warRoomTries],
    );
    if (due.length === 0 || !(await port.available())) return 0;
    for (const row of due) this.warRoomTries.add(row.id);
    const tries = pool(due, warRoomConcurrency, async (row) => {
      try {
        await this.tryWarRoom(port, row.id, row.attempts ?? 0);
      } catch (err) {
        // The claim runs out and the room is tried again, as a retry.
        options.logger?.error({ err, incidentId: row.id }, 'war room try failed unexpectedly');
      } finally {
        this.warRoomTries.delete(row.id);
      }
    });
    const tracked: Promise<void> = tries.finally(() => this.warRoomPasses.delete(tracked));
    this.warRoomPasses.add(tracked);
    await settledOrAfter(tracked, options.waitMs ?? Infinity);
    return due.length;
  }

  /** Waits until every war-room try a pass left running has been recorded. */
  async drainWarRooms(): Promise<void> {
    while (this.warRoomPasses.size > 0) await Promise.all(this.warRoomPasses);
  }

  /**
   * One try at an incident's war room, number `attempts + 1`. A failure Slack may get over (a
   * 5xx, a rate limit, a timeout: the port says `retryable`) is tried again after a backoff, at
   * most `warRoomMaxTries` times; any other failure is final at once. A retry asks the port to
   * adopt a channel of the room's name it finds the app in: a timed-out `conversations.create`
   * may have made it. The timeline says once that it failed (the first failure), once that it
   * was opened, and once that it was given up — not once per try. Entries and the row are
   * stamped when written, after Slack answered, not with the pass's start.
   */
  private async tryWarRoom(port: RetryingWarRoomPort, id: string, attempts: number) {
    const db = this.deps.db;
    const claimedAt = this.deps.clock.now();
    if (!(await claimWarRoomTry(db, id, attempts, claimedAt, claimedAt + warRoomClaimMs))) return;
    const attempt = attempts + 1;
    const settings = await this.settings();
    const incident = await loadIncident(db, id);
    if (!incident) return;
    const sev = settings.severities.find((s) => s.id === incident.severity);
    const result = await port.open({
      name: await warRoomTryName(db, id, warRoomName(incident.number, incident.title)),
      topic: `${incident.severity ?? ''} #${incident.number}: ${incident.title}`.slice(0, 250),
      summary: [
        `*#${incident.number} ${incident.title}*`,
        `Severity: ${incident.severity}${sev ? ` (${sev.name})` : ''} · Status: ${incident.status}`,
        ...(incident.description ? [incident.description.slice(0, 1500)] : []),
        ...(incident.conferenceUrl ? [`Conference: ${incident.conferenceUrl}`] : []),
        'Use `/tocsin help` here: ack, mitigated, resolve, sev, role, note, update.',
      ].join('\n'),
      slackUserIds: await selectResponderSlackIds(db, incident.id),
      adoptExisting: attempt > 1,
    });
    const at = this.deps.clock.now();
    await inTransaction(db, async (trx) => {
      if (result.ok) {
        const recorded = await recordWarRoomTry(
          trx,
          id,
          attempt,
          {
            warRoomJson: JSON.stringify({
              channelId: result.channelId,
              channelName: result.channelName,
            }),
            channelId: result.channelId,
          },
          at,
        );
        if (recorded)
          await addTimelineEntry(trx, {
            incidentId: id,
            at,
            kind: 'warroom.opened',
            actorName: 'tocsin',
            message: `War room #${result.channelName} opened in Slack`,
            data: { channelId: result.channelId },
          });
        return;
      }
      const final = result.retryable !== true || attempt >= warRoomMaxTries;
      const recorded = await recordWarRoomTry(
        trx,
        id,
        attempt,
        final
          ? { warRoomJson: JSON.stringify({ error: result.reason }) }
          : { nextAt: at + warRoomBackoffMs[attempt - 1]! },
        at,
      );
      const message =
        attempt === 1
          ? `Could not open the Slack war room: ${result.reason}${final ? '' : '; trying again'}`
          : final
            ? `Gave up on the Slack war room after ${attempt} tries: ${result.reason}`
            : undefined;
      if (recorded && message)
        await addTimelineEntry(trx, {
          incidentId: id,
          at,
          kind: 'warroom.failed',
          actorName: 'tocsin',
          message,
        });
    });
  }

  /**
   * A message in a war-room channel, captured into the timeline (Slack Events API). Slack
   * retries an event it got no timely 2xx for, so a message already captured (same channel and
   * `ts`, Slack's per-channel message id) is skipped. Returns whether it was captured now.
   */
  async recordChatMessage(input: {
    channelId: string;
    slackUserId: string;
    text: string;
    ts: string;
  }): Promise<boolean> {
    const row = await selectIncidentByWarRoom(this.deps.db, input.channelId);
    if (!row) return false;
    const at = Math.round(Number(input.ts) * 1000) || this.deps.clock.now();
    if (await selectChatMessageSeen(this.deps.db, row.id, at, input.channelId, input.ts))
      return false;
    const userId = await this.deps.userBySlackId?.(input.slackUserId);
    const actor = userId ? await this.deps.actorOf?.(userId) : undefined;
    await addTimelineEntry(this.deps.db, {
      incidentId: row.id,
      at,
      kind: 'chat.message',
      actorName: actor?.name ?? `Slack ${input.slackUserId}`,
      message: input.text.slice(0, 4000),
      data: { channelId: input.channelId, ts: input.ts, slackUserId: input.slackUserId },
    });
    return true;
  }

  /**
   * Runs a `/tocsin …` slash command from Slack as the Tocsin user behind the Slack account,
   * with that user's permissions. Returns the line to answer with (only they see it).
   */
  async runSlashCommand(input: {
    channelId: string;
    slackUserId: string;
    text: string;
  }): Promise<string> {
    const cmd = parseSlashCommand(input.text);
    if ('error' in cmd) return cmd.error;
    if (cmd.verb === 'help') return slashHelp;
    const userId = await this.deps.userBySlackId?.(input.slackUserId);
    const actor = userId ? await this.deps.actorOf?.(userId) : undefined;
    if (!actor)
      return 'Your Slack account is not linked to a Tocsin user: add it as a Slack contact method in Tocsin and verify it.';
    try {
      if (cmd.verb === 'declare') {
        const teamIds = [...(actor.type === 'user' ? actor.roles : new Map<string, string>())]
          .filter(([, r]) => r !== 'viewer')
          .map(([teamId]) => teamId as string);
        const services = teamIds.length
          ? await this.deps.db
              .selectFrom('services')
              .select(['id', 'name'])
              .where('team_id', 'in', teamIds)
              .orderBy('name')
              .execute()
          : [];
        if (services.length === 0) return 'You are not a responder of any team with a service.';
        const yours = `Yours: ${services
          .slice(0, 20)
          .map((s) => (/\s/.test(s.name) ? `"${s.name}"` : s.name))
          .join(', ')}${services.length > 20 ? ', …' : ''}.`;
        // Like PagerDuty's, a declared incident is on a service the person chooses; only a
        // person with a single service may leave it out.
        const wanted = cmd.service?.toLowerCase();
        const service = wanted
          ? services.find((s) => s.name.toLowerCase() === wanted)
          : services.length === 1
            ? services[0]
            : undefined;
        if (!service)
          return cmd.service
            ? `No service "${cmd.service}" on your teams. ${yours}`
            : `Which service? /tocsin declare ${cmd.severity.toLowerCase()} service:<name> ${cmd.title} — ${yours}`;
        const incident = await this.declare(
          actor,
          {
            title: cmd.title,
            description: '',
            severity: cmd.severity,
            priority: null,
            serviceIds: [service.id],
            businessImpact: '',
            customerImpacting: false,
            commanderId: userId,
            conferenceUrl: null,
          },
          'slack',
        );
        return `Declared #${incident.number} (${cmd.severity}): ${incident.title}. You are the commander.`;
      }
      let incidentId: string | undefined;
      if (cmd.number !== undefined) {
        incidentId = (
          await this.deps.db
            .selectFrom('incidents')
            .select('id')
            .where('number', '=', cmd.number)
            .executeTakeFirst()
        )?.id;
      } else {
        incidentId = (await selectIncidentByWarRoom(this.deps.db, input.channelId))?.id;
      }
      if (!incidentId) return 'Which incident? Use this in its war room, or add #number.';
      const ref = (i: Incident) => `#${i.number}`;
      switch (cmd.verb) {
        case 'ack':
          return `Acknowledged ${ref(await this.setStatus(actor, incidentId, 'acknowledged'))}`;
        case 'mitigated':
          return `Mitigated ${ref(await this.setStatus(actor, incidentId, 'mitigated'))}`;
        case 'resolve':
          return `Resolved ${ref(await this.setStatus(actor, incidentId, 'resolved'))}`;
        case 'sev':
          return `Severity of ${ref(await this.update(actor, incidentId, { severity: cmd.severity }))} is now ${cmd.severity}`;
        case 'role': {
          const target =
            cmd.slackUserId === 'me' ? userId : await this.deps.userBySlackId?.(cmd.slackUserId);
          if (!target) return 'That Slack account is not linked to a Tocsin user.';
          const d = await this.assignRole(actor, incidentId, cmd.role, target);
          return `Role ${cmd.role} on #${d.incident.number}: ${d.roles
            .filter((r) => r.role === cmd.role)
            .map((r) => r.name)
            .join(', ')}`;
        }
        case 'note':
          await this.addNote(actor, incidentId, { markdown: cmd.text, attachments: [] });
          return 'Noted on the timeline.';
        case 'update': {
          const u = await this.postUpdate(actor, incidentId, cmd.text);
          return `Update sent to ${u.recipients} subscriber${u.recipients === 1 ? '' : 's'}.`;
        }
      }
    } catch (err) {
      if (err instanceof AppError) return err.message;
      throw err;
    }
  }
}
