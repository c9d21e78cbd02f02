import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canInTeam } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import { newId, randomToken } from '../../core/ids.js';
import type { Database, Executor } from '../../db/index.js';
import type { AlertsService } from '../alerts/index.js';
import { loadUserActor } from '../identity/index.js';
import { addTimelineEntry, loadIncident, type IncidentsService } from '../incidents/index.js';
import type { EscalationService } from '../oncall/index.js';
import {
  insertActionToken,
  selectActionToken,
  selectIncidentByNumber,
  selectLatestOpenPagedIncident,
  selectVerifiedMethodByAddress,
  spendActionToken,
} from './notifications.store.js';

/** What a responder can do from a message. */
export type ChannelAction = 'acknowledge' | 'resolve' | 'escalate';

/** The result of an action from a message, with a line to show or say back. */
export interface ActionResult {
  ok: boolean;
  /** For the person: "Acknowledged #42", "You cannot resolve incidents of Payments". */
  message: string;
  incidentId?: string;
  incidentNumber?: number;
}

/**
 * A second Escalate from the same person within this window is refused: a double press or a
 * replayed request escalates once (each escalation moves one more level).
 */
export const repeatEscalateWindowMs = 60_000;

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

/** Channel ids as people read them, for timeline lines. */
export const channelLabels: Record<string, string> = {
  email: 'email',
  slack: 'Slack',
  sms: 'SMS',
  voice: 'a phone call',
  webhook: 'webhook',
  teams: 'Microsoft Teams',
  link: 'an email link',
};

/**
 * Single-use links minted into an email for one incident and one person: short-lived, stored
 * only as hashes, spent on first use. Made inside the delivery's own write.
 */
export async function mintActionLinks(
  db: Executor,
  input: { incidentId: string; userId: string; now: number; ttlMs: number; baseUrl: string },
): Promise<{ acknowledge: string; resolve: string }> {
  const out: Record<string, string> = {};
  for (const action of ['acknowledge', 'resolve'] as const) {
    const token = randomToken(24);
    await insertActionToken(db, {
      id: newId(),
      token_hash: hashToken(token),
      incident_id: input.incidentId,
      user_id: input.userId,
      action,
      expires_at: input.now + input.ttlMs,
      used_at: null,
      created_at: input.now,
    });
    out[action] = `${input.baseUrl}/api/notify/links/${token}`;
  }
  return out as { acknowledge: string; resolve: string };
}

/**
 * Acting on an incident from where a page landed: a Slack button, an SMS reply, a key press on
 * a call, an email link. Each maps the sender to a Tocsin user (a verified contact method, or
 * the user a link was minted for), checks that user's role in the incident's team like any
 * other request, then acknowledges, resolves or escalates, and writes the timeline.
 */
export class NotificationActionsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      incidents: IncidentsService;
      alerts: AlertsService;
      escalation: EscalationService;
    },
  ) {}

  /** The user behind a verified contact method (Slack user id, phone number). */
  async userByAddress(type: string, address: string): Promise<string | undefined> {
    return (await selectVerifiedMethodByAddress(this.deps.db, type, address))?.user_id;
  }

  /**
   * The incident a reply means: by number; else, to resolve, the newest unresolved incident
   * paged to the user; otherwise (acknowledge, or an action not given) the newest one paged to
   * them that is still triggered — one somebody else already acknowledged is not what is
   * paging them — falling back to the newest unresolved one (told "already acknowledged").
   */
  async incidentFor(
    userId: string,
    number?: number,
    action?: ChannelAction,
  ): Promise<string | undefined> {
    if (number !== undefined) return (await selectIncidentByNumber(this.deps.db, number))?.id;
    const triggered =
      action === 'resolve'
        ? undefined
        : await selectLatestOpenPagedIncident(this.deps.db, userId, 'triggered');
    return (triggered ?? (await selectLatestOpenPagedIncident(this.deps.db, userId)))?.id;
  }

  /** Looks at a link without spending it (the confirmation page). */
  async peekLink(
    token: string,
  ): Promise<{ action: string; incidentNumber: number; title: string } | undefined> {
    const row = await selectActionToken(this.deps.db, hashToken(token));
    if (!row || row.used_at !== null || row.expires_at < this.deps.clock.now()) return undefined;
    const incident = await loadIncident(this.deps.db, row.incident_id);
    return incident
      ? { action: row.action, incidentNumber: incident.number, title: incident.title }
      : undefined;
  }

  /** Spends a one-click link and acts as the person it was minted for. */
  async redeemLink(token: string): Promise<ActionResult> {
    const now = this.deps.clock.now();
    const row = await selectActionToken(this.deps.db, hashToken(token));
    if (!row || row.expires_at < now) return { ok: false, message: 'This link has expired.' };
    if (!(await spendActionToken(this.deps.db, row.id, now)))
      return { ok: false, message: 'This link has already been used.' };
    return this.act(row.user_id, row.incident_id, row.action as ChannelAction, 'link');
  }

  /** Acts as `userId` on an incident, from `via` (slack, sms, voice, link). */
  async act(
    userId: string,
    incidentId: string,
    action: ChannelAction,
    via: string,
  ): Promise<ActionResult> {
    const actor = await loadUserActor(this.deps.db, userId);
    const incident = await loadIncident(this.deps.db, incidentId);
    // A disabled (or deleted) account acts on nothing; say so rather than blame the incident.
    if (!actor)
      return { ok: false, message: 'Your Tocsin account is disabled: ask an admin to restore it.' };
    if (!incident) return { ok: false, message: 'No such incident.' };
    const ref = { incidentId: incident.id, incidentNumber: incident.number };
    if (!canInTeam(actor, incident.teamId, 'responder'))
      return {
        ok: false,
        message: `You are not a responder for incident #${incident.number}.`,
        ...ref,
      };
    if (incident.status === 'resolved')
      return { ok: false, message: `Incident #${incident.number} is already resolved.`, ...ref };
    if (action === 'acknowledge' && incident.status !== 'triggered')
      return {
        ok: true,
        message: `Incident #${incident.number} was already acknowledged.`,
        ...ref,
      };
    try {
      if (action === 'acknowledge') {
        // Two people pressing at once: only the one whose write moved it is told "Acknowledged".
        const { changed } = await this.deps.incidents.acknowledgeChanged(actor, incident.id);
        if (!changed)
          return {
            ok: true,
            message: `Incident #${incident.number} was already acknowledged.`,
            ...ref,
          };
      } else if (action === 'resolve') await this.deps.alerts.resolveIncident(actor, incident);
      else
        await this.deps.escalation.escalateNow(actor, incident.id, {
          unlessEscalatedSince: this.deps.clock.now() - repeatEscalateWindowMs,
        });
    } catch (err) {
      if (err instanceof AppError) return { ok: false, message: err.message, ...ref };
      throw err;
    }
    // Only an action that went through is on the timeline (a refused one changed nothing).
    await addTimelineEntry(this.deps.db, {
      incidentId: incident.id,
      at: this.deps.clock.now(),
      kind: 'notification.action',
      actorName: actor.name,
      message: `${actor.name} chose ${action} from ${channelLabels[via] ?? via}`,
    });
    const verb = { acknowledge: 'Acknowledged', resolve: 'Resolved', escalate: 'Escalated' }[
      action
    ];
    return { ok: true, message: `${verb} incident #${incident.number}: ${incident.title}`, ...ref };
  }
}
