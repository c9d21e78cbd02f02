import type { Kysely } from 'kysely';
import { canInTeam, isOrgAdmin, roleInTeam, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, invalid, isAppError, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { definedFields } from '../../core/objects.js';
import { resealValue, type ResealCount, type SecretBox } from '../../core/secrets.js';
import { inTransaction, type Database, type Executor, type Row } from '../../db/index.js';
import type { AuditService } from '../audit/index.js';
import { addTimelineEntry, loadIncident, type Incident } from '../incidents/index.js';
import { pageUsers } from '../oncall/index.js';
import {
  checkBlameless,
  defaultBlamelessTerms,
  type BlamelessFinding,
  type BlamelessOptions,
} from './blameless.js';
import {
  checkPostmortemTransition,
  draftSections,
  postmortemMarkdown,
  priorityMeaning,
  searchTextOf,
  sectionIds,
  statusFromTracker,
  toActionItem,
  toPostmortem,
  type ActionItem,
  type ActionStatus,
  type Postmortem,
  type SectionId,
  type Sections,
  type TrackerKind,
} from './postmortem.js';
import type {
  ActionItemQuery,
  CreateActionItemInput,
  PostmortemQuery,
  PostmortemSettingsInput,
  ReviewInput,
  UpdateActionItemInput,
  UpdatePostmortemInput,
} from './postmortems.schema.js';
import {
  deleteReviewersExcept,
  insertActionItem,
  insertComment,
  insertPostmortem,
  selectActionItem,
  selectActionItems,
  selectActionItemsOf,
  selectChangesBefore,
  selectComments,
  selectDueActionReminders,
  selectDueSyncs,
  selectIncidentAlerts,
  selectIncidentRoles,
  selectIncidentServiceNames,
  selectIncidentsNeedingDraft,
  selectNextActionTimer,
  selectOrgSettingValue,
  selectPeopleNames,
  selectPostmortem,
  selectPostmortemOfIncident,
  selectPostmortems,
  selectReviewers,
  selectTeamMembers,
  selectUserNames,
  setReviewerState,
  updateActionItemRow,
  updatePostmortemRow,
  replaceOrgSettingValue,
  upsertOrgSettingValue,
  upsertReviewers,
  claimActionItemExport,
  releaseActionItemExport,
} from './postmortems.store.js';
import type { TrackerConfig, TrackerPort } from './tracker-port.js';

/** The organisation's postmortem settings as stored (tokens encrypted). */
export interface PostmortemSettings {
  requiredSeverities: string[];
  reminderHours: number;
  syncMinutes: number;
  blameless: { terms: Array<{ term: string; suggestion: string }>; disabled: string[] };
  jira: (Omit<Extract<TrackerConfig, { kind: 'jira' }>, 'kind'> & { token: string }) | null;
  github: (Omit<Extract<TrackerConfig, { kind: 'github' }>, 'kind'> & { token: string }) | null;
  weeklyDigest: boolean;
}

export const defaultPostmortemSettings: PostmortemSettings = {
  requiredSeverities: ['SEV1', 'SEV2'],
  reminderHours: 24,
  syncMinutes: 10,
  blameless: { terms: [], disabled: [] },
  jira: null,
  github: null,
  weeklyDigest: false,
};

/** Settings as the API shows them: tokens only as "set". */
export type PostmortemSettingsView = Omit<PostmortemSettings, 'jira' | 'github'> & {
  jira: (Omit<NonNullable<PostmortemSettings['jira']>, 'token'> & { tokenSet: boolean }) | null;
  github: (Omit<NonNullable<PostmortemSettings['github']>, 'token'> & { tokenSet: boolean }) | null;
  defaultTerms: typeof defaultBlamelessTerms;
};

/** A postmortem with everything its page shows. */
export interface PostmortemDetail {
  postmortem: Postmortem;
  incident: {
    id: string;
    number: number;
    title: string;
    severity: string | null;
    status: string;
  };
  reviewers: Array<{
    userId: string;
    name: string;
    state: string;
    requestedAt: number;
    decidedAt: number | null;
  }>;
  comments: Array<{
    id: string;
    authorName: string;
    userId: string | null;
    section: string | null;
    body: string;
    kind: string;
    createdAt: number;
  }>;
  actionItems: Array<ActionItem & { ownerName: string | null }>;
  /** The blameless check over every section, non-blocking. */
  findings: Array<BlamelessFinding & { section: SectionId | 'title' }>;
}

export interface PostmortemSummary {
  id: string;
  incidentId: string;
  incidentNumber: number;
  teamId: string;
  title: string;
  status: string;
  severity: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  reviewMeetingAt: number | null;
}

const SETTINGS_KEY = 'postmortems';
const MAX_ACTION_ITEMS = 200;
/** The store reads at most this many comments; more are refused rather than hidden. */
const MAX_COMMENTS = 1000;
const DAY = 86_400_000;

const conflict = (code: string, message: string, field?: string) =>
  new AppError({ kind: 'conflict', code, message, ...(field ? { field } : {}) });

/**
 * Postmortems, reviews and action items (the postmortems issue). A postmortem is drafted from
 * the incident when it resolves (SEV1/SEV2 by default; `draftDue` runs in the engine, the unique
 * incident id makes it idempotent), edited in Markdown by the team's responders, submitted to
 * reviewers who approve or comment, and published once every reviewer approved. Action items
 * carry the seeds' priorities, owner reminders when overdue (a timer column) and export to Jira
 * or GitHub with their state polled back. Teams are the access boundary: outsiders get 404.
 */
export class PostmortemsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      cipher: Pick<SecretBox, 'encrypt' | 'decrypt' | 'isCurrent'>;
      tracker: TrackerPort;
      onNewWork?: () => void;
    },
  ) {}

  // ---- settings

  async settings(db: Executor = this.deps.db): Promise<PostmortemSettings> {
    const v = await selectOrgSettingValue(db, SETTINGS_KEY);
    return v
      ? { ...defaultPostmortemSettings, ...(JSON.parse(v) as Partial<PostmortemSettings>) }
      : defaultPostmortemSettings;
  }

  private view(s: PostmortemSettings): PostmortemSettingsView {
    const mask = <T extends { token: string }>(x: T | null) => {
      if (!x) return null;
      const { token, ...rest } = x;
      return { ...rest, tokenSet: token !== '' };
    };
    return {
      ...s,
      jira: mask(s.jira),
      github: mask(s.github),
      defaultTerms: defaultBlamelessTerms,
    };
  }

  async settingsView(actor: Actor): Promise<PostmortemSettingsView> {
    if (actor.type === 'system' || roleInTeamAny(actor)) return this.view(await this.settings());
    throw forbidden();
  }

  /** Saves settings (org admins); an empty tracker token keeps the stored one. */
  async saveSettings(
    actor: Actor,
    patch: PostmortemSettingsInput,
  ): Promise<PostmortemSettingsView> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins change postmortem settings');
    const current = await this.settings();
    const next: PostmortemSettings = { ...current };
    if (patch.requiredSeverities) next.requiredSeverities = [...new Set(patch.requiredSeverities)];
    if (patch.reminderHours !== undefined) next.reminderHours = patch.reminderHours;
    if (patch.syncMinutes !== undefined) next.syncMinutes = patch.syncMinutes;
    if (patch.weeklyDigest !== undefined) next.weeklyDigest = patch.weeklyDigest;
    if (patch.blameless) next.blameless = patch.blameless;
    const withToken = <T extends { token: string }>(
      input: T | null | undefined,
      stored: { token: string } | null,
      field: string,
    ): T | null | undefined => {
      if (input === undefined || input === null) return input;
      const token = input.token ? this.deps.cipher.encrypt(input.token) : (stored?.token ?? '');
      if (!token) throw invalid('TRACKER_TOKEN_REQUIRED', `${field}.token`, 'A token is required');
      return { ...input, token };
    };
    const jira = withToken(patch.jira, current.jira, 'jira');
    if (jira !== undefined) next.jira = jira;
    const github = withToken(patch.github, current.github, 'github');
    if (github !== undefined) next.github = github;
    await inTransaction(this.deps.db, async (trx) => {
      await upsertOrgSettingValue(trx, SETTINGS_KEY, JSON.stringify(next), actor.name, this.now());
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem_settings.saved',
        targetType: 'org_settings',
        targetId: SETTINGS_KEY,
        after: this.view(next),
      });
    });
    return this.view(next);
  }

  /**
   * Re-encrypts the Jira and GitHub tokens with the current key (org admins; part of
   * `tocsin notify rotate-secrets`). Settings saved meanwhile are left to that save.
   */
  async resealSecrets(actor: Actor): Promise<ResealCount> {
    if (!isOrgAdmin(actor)) throw forbidden('Organisation admins rotate keys');
    const count: ResealCount = { changed: 0, unreadable: 0 };
    const before = await selectOrgSettingValue(this.deps.db, SETTINGS_KEY);
    if (!before) return count;
    const s = JSON.parse(before) as Partial<PostmortemSettings>;
    const resealed = <T extends { token: string }>(tracker: T | null | undefined) => {
      if (!tracker?.token) return tracker;
      const token = resealValue(this.deps.cipher, tracker.token);
      if (token === undefined) count.unreadable++;
      else if (token !== tracker.token) count.changed++;
      return { ...tracker, token: token ?? tracker.token };
    };
    const next = { ...s, jira: resealed(s.jira), github: resealed(s.github) };
    if (count.changed === 0) return count;
    const written = await replaceOrgSettingValue(
      this.deps.db,
      SETTINGS_KEY,
      before,
      JSON.stringify(next),
    );
    return written ? count : { ...count, changed: 0 };
  }

  private now(): number {
    return this.deps.clock.now();
  }

  // ---- the blameless check

  /** The check's options: the default list with the organisation's changes, people's names. */
  private async checkOptions(): Promise<BlamelessOptions> {
    const s = await this.settings();
    return {
      terms: [
        ...defaultBlamelessTerms,
        ...s.blameless.terms.map((t) => ({
          term: t.term,
          suggestion: t.suggestion || 'rephrase without judging a person',
        })),
      ],
      disabled: s.blameless.disabled,
      people: await selectPeopleNames(this.deps.db),
    };
  }

  /** Checks text against the organisation's word list and people's names. */
  async check(text: string): Promise<BlamelessFinding[]> {
    return checkBlameless(text, await this.checkOptions());
  }

  private async findings(p: Postmortem): Promise<PostmortemDetail['findings']> {
    const opts = await this.checkOptions();
    const out: PostmortemDetail['findings'] = checkBlameless(p.title, opts).map((f) => ({
      ...f,
      section: 'title' as const,
    }));
    for (const id of sectionIds)
      for (const f of checkBlameless(p.sections[id], opts)) out.push({ ...f, section: id });
    return out;
  }

  // ---- access

  private async incidentFor(actor: Actor, incidentId: string): Promise<Incident> {
    const incident = await loadIncident(this.deps.db, incidentId);
    if (!incident || roleInTeam(actor, incident.teamId) === undefined)
      throw notFound('Incident', 'INCIDENT_NOT_FOUND');
    return incident;
  }

  private async readable(actor: Actor, id: string): Promise<Row<'postmortems'>> {
    const row = await selectPostmortem(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Postmortem', 'POSTMORTEM_NOT_FOUND');
    return row;
  }

  private async writable(actor: Actor, id: string): Promise<Row<'postmortems'>> {
    const row = await this.readable(actor, id);
    if (!canInTeam(actor, row.team_id, 'responder'))
      throw forbidden('Responders of the team write postmortems');
    return row;
  }

  // ---- drafting

  /**
   * Drafts the incident's postmortem from what the incident recorded (inside `db`, usually a
   * transaction). Idempotent: a second call finds the first one's row.
   */
  async draftIn(db: Executor, incident: Incident, by: string, now: number): Promise<string> {
    const existing = await selectPostmortemOfIncident(db, incident.id);
    if (existing) return existing.id;
    const services = await selectIncidentServiceNames(db, incident.id, incident.serviceId);
    const timeline = await db
      .selectFrom('incident_timeline')
      .select(['at', 'kind', 'actor_name', 'message'])
      .where('incident_id', '=', incident.id)
      .orderBy('at')
      .orderBy('id')
      .limit(2000)
      .execute();
    const responders = new Map<string, string>();
    for (const r of await selectIncidentRoles(db, incident.id))
      responders.set(r.name, r.role.replace('_', ' '));
    if (incident.acknowledgedBy && !responders.has(incident.acknowledgedBy))
      responders.set(incident.acknowledgedBy, 'acknowledged');
    const sections = draftSections({
      incident: {
        number: incident.number,
        title: incident.title,
        description: incident.description,
        severity: incident.severity,
        businessImpact: incident.businessImpact,
        customerImpacting: incident.customerImpacting,
        createdAt: incident.createdAt,
        acknowledgedAt: incident.acknowledgedAt,
        mitigatedAt: incident.mitigatedAt,
        resolvedAt: incident.resolvedAt,
      },
      services: services.map((s) => s.name),
      responders: [...responders].map(([name, role]) => ({ name, role })),
      timeline: timeline.map((t) => ({
        at: t.at,
        kind: t.kind,
        actorName: t.actor_name,
        message: t.message,
      })),
      alerts: (await selectIncidentAlerts(db, incident.id)).map((a) => ({
        summary: a.summary,
        severity: a.severity,
        count: a.event_count,
        firstSeenAt: a.first_seen_at,
      })),
      // Changes to the affected services in the 24 hours before the incident and during it.
      changes: (
        await selectChangesBefore(
          db,
          services.map((s) => s.id),
          incident.createdAt - DAY,
          incident.resolvedAt ?? now,
        )
      ).map((c) => ({ summary: c.summary, occurredAt: c.occurred_at, source: c.source })),
    });
    const id = newId();
    const title = `#${incident.number} ${incident.title}`.slice(0, 500);
    const made = await insertPostmortem(db, {
      id,
      incident_id: incident.id,
      team_id: incident.teamId,
      title,
      status: 'draft',
      sections_json: JSON.stringify(sections),
      search_text: searchTextOf(title, sections),
      review_meeting_at: null,
      version: 1,
      created_by: by,
      created_at: now,
      updated_by: by,
      updated_at: now,
      submitted_at: null,
      published_at: null,
      published_by: null,
    });
    if (!made) return (await selectPostmortemOfIncident(db, incident.id))!.id;
    await addTimelineEntry(db, {
      incidentId: incident.id,
      at: now,
      kind: 'postmortem.drafted',
      actorName: by,
      message: 'Postmortem drafted',
      data: { postmortemId: id },
    });
    return id;
  }

  /** Engine: drafts postmortems of resolved incidents whose severity requires one. */
  async draftDue(now: number, batch = 20): Promise<number> {
    const s = await this.settings();
    const due = await selectIncidentsNeedingDraft(
      this.deps.db,
      s.requiredSeverities,
      now - 30 * DAY,
      batch,
    );
    for (const row of due) {
      await inTransaction(this.deps.db, async (trx) => {
        const incident = await loadIncident(trx, row.id);
        if (!incident || incident.status !== 'resolved') return;
        await this.draftIn(trx, incident, 'tocsin', now);
      });
    }
    return due.length;
  }

  /** Starts a postmortem for any incident by hand (or returns the one it has). */
  async create(
    actor: Actor,
    incidentId: string,
  ): Promise<{ detail: PostmortemDetail; created: boolean }> {
    const incident = await this.incidentFor(actor, incidentId);
    if (!canInTeam(actor, incident.teamId, 'responder'))
      throw forbidden('Responders of the team write postmortems');
    const existing = await selectPostmortemOfIncident(this.deps.db, incidentId);
    if (existing) return { detail: await this.get(actor, existing.id), created: false };
    const id = await inTransaction(this.deps.db, async (trx) => {
      const pmId = await this.draftIn(trx, incident, actor.name, this.now());
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem.created',
        targetType: 'postmortem',
        targetId: pmId,
        teamId: incident.teamId,
      });
      return pmId;
    });
    return { detail: await this.get(actor, id), created: true };
  }

  // ---- reading

  async get(actor: Actor, id: string): Promise<PostmortemDetail> {
    const row = await this.readable(actor, id);
    const db = this.deps.db;
    const p = toPostmortem(row);
    const incident = (await loadIncident(db, p.incidentId))!;
    const items = (await selectActionItemsOf(db, id)).map((r) => toActionItem(r, this.now()));
    const owners = new Map(
      (
        await selectUserNames(
          db,
          items.flatMap((i) => (i.ownerId ? [i.ownerId] : [])),
        )
      ).map((u) => [u.id, u.name]),
    );
    return {
      postmortem: p,
      incident: {
        id: incident.id,
        number: incident.number,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
      },
      reviewers: (await selectReviewers(db, id)).map((r) => ({
        userId: r.user_id,
        name: r.name,
        state: r.state,
        requestedAt: r.requested_at,
        decidedAt: r.decided_at,
      })),
      comments: (await selectComments(db, id)).map((c) => ({
        id: c.id,
        authorName: c.author_name,
        userId: c.user_id,
        section: c.section,
        body: c.body,
        kind: c.kind,
        createdAt: c.created_at,
      })),
      actionItems: items.map((i) => ({
        ...i,
        ownerName: i.ownerId ? (owners.get(i.ownerId) ?? null) : null,
      })),
      findings: await this.findings(p),
    };
  }

  async ofIncident(actor: Actor, incidentId: string): Promise<PostmortemDetail> {
    await this.incidentFor(actor, incidentId);
    const row = await selectPostmortemOfIncident(this.deps.db, incidentId);
    if (!row) throw notFound('Postmortem', 'POSTMORTEM_NOT_FOUND');
    return this.get(actor, row.id);
  }

  /** Postmortems of the actor's teams; `q` searches title and text (every word must appear). */
  async list(actor: Actor, q: PostmortemQuery): Promise<PostmortemSummary[]> {
    let teamIds = visibleTeams(actor);
    if (q.teamId) teamIds = roleInTeam(actor, q.teamId) === undefined ? [] : [q.teamId];
    const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
    return (
      await selectPostmortems(this.deps.db, {
        teamIds,
        status: q.status,
        words,
        limit: q.limit,
      })
    ).map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      incidentNumber: r.incident_number,
      teamId: r.team_id,
      title: r.title,
      status: r.status,
      severity: r.severity,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      publishedAt: r.published_at,
      reviewMeetingAt: r.review_meeting_at,
    }));
  }

  /** The postmortem as Markdown (export, print). */
  async exportMarkdown(actor: Actor, id: string): Promise<{ fileName: string; markdown: string }> {
    const d = await this.get(actor, id);
    return {
      fileName: `postmortem-incident-${d.incident.number}.md`,
      markdown: postmortemMarkdown({
        postmortem: d.postmortem,
        incidentNumber: d.incident.number,
        reviewers: d.reviewers.map((r) => ({ name: r.name, state: r.state })),
        actionItems: d.actionItems,
      }),
    };
  }

  // ---- editing and review

  /**
   * Edits title, sections, review meeting. Published postmortems are final. Changing the text
   * while in review asks the reviewers who approved to approve again: an approval is of the text
   * they read, so what gets published is what every reviewer approved.
   */
  async update(actor: Actor, id: string, input: UpdatePostmortemInput): Promise<PostmortemDetail> {
    const row = await this.writable(actor, id);
    if (row.status === 'published')
      throw conflict('POSTMORTEM_PUBLISHED', 'A published postmortem is final', 'status');
    const current = toPostmortem(row);
    const sections: Sections = { ...current.sections, ...input.sections };
    const title = input.title ?? current.title;
    const textChanged =
      title !== current.title ||
      (Object.keys(sections) as Array<keyof Sections>).some(
        (k) => sections[k] !== current.sections[k],
      );
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      const ok = await updatePostmortemRow(
        trx,
        id,
        {
          title,
          sections_json: JSON.stringify(sections),
          search_text: searchTextOf(title, sections),
          ...(input.reviewMeetingAt !== undefined
            ? { review_meeting_at: input.reviewMeetingAt }
            : {}),
          updated_by: actor.name,
          updated_at: now,
        },
        input.version,
      );
      if (!ok)
        throw conflict(
          'POSTMORTEM_VERSION_CONFLICT',
          'Someone saved the postmortem since you opened it: reload and edit again',
          'version',
        );
      const approved =
        row.status === 'in_review' && textChanged
          ? (await selectReviewers(trx, id)).filter((r) => r.state === 'approved')
          : [];
      if (approved.length > 0) {
        await upsertReviewers(
          trx,
          id,
          approved.map((r) => r.user_id),
          now,
        );
        await insertComment(trx, {
          id: newId(),
          postmortem_id: id,
          user_id: actor.type === 'user' ? actor.userId : null,
          author_name: actor.name,
          section: null,
          body: `Edited after approval: ${approved.map((r) => r.name).join(', ')} asked to review again`,
          kind: 'status',
          created_at: now,
        });
      }
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem.updated',
        targetType: 'postmortem',
        targetId: id,
        teamId: row.team_id,
        after: {
          ...(input.title !== undefined ? { title } : {}),
          sections: Object.keys(input.sections ?? {}),
          ...(input.reviewMeetingAt !== undefined
            ? { reviewMeetingAt: input.reviewMeetingAt }
            : {}),
          ...(approved.length > 0 ? { approvalsReset: approved.map((r) => r.user_id) } : {}),
        },
      });
    });
    return this.get(actor, id);
  }

  /** draft → in review, with the reviewers (members of the team). */
  async submit(actor: Actor, id: string, reviewerIds: string[]): Promise<PostmortemDetail> {
    const row = await this.writable(actor, id);
    const why = checkPostmortemTransition(row.status as Postmortem['status'], 'in_review', []);
    if (why) throw conflict('POSTMORTEM_STATUS_CONFLICT', why, 'status');
    const wanted = [...new Set(reviewerIds)];
    const members = await selectTeamMembers(this.deps.db, row.team_id, wanted);
    const outsider = wanted.find((u) => !members.includes(u));
    if (outsider)
      throw invalid(
        'REVIEWER_NOT_IN_TEAM',
        'reviewerIds',
        `Reviewer ${outsider} is not an active member of the team`,
      );
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      await deleteReviewersExcept(trx, id, wanted);
      await upsertReviewers(trx, id, wanted, now);
      await updatePostmortemRow(trx, id, {
        status: 'in_review',
        submitted_at: now,
        updated_by: actor.name,
        updated_at: now,
      });
      await insertComment(trx, {
        id: newId(),
        postmortem_id: id,
        user_id: actor.type === 'user' ? actor.userId : null,
        author_name: actor.name,
        section: null,
        body: 'Submitted for review',
        kind: 'status',
        created_at: now,
      });
      await addTimelineEntry(trx, {
        incidentId: row.incident_id,
        at: now,
        kind: 'postmortem.in_review',
        actorName: actor.name,
        message: `Postmortem submitted for review`,
      });
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem.submitted',
        targetType: 'postmortem',
        targetId: id,
        teamId: row.team_id,
        after: { reviewerIds: wanted },
      });
    });
    return this.get(actor, id);
  }

  /** in review → draft (to rework after comments); approvals are kept as requests again. */
  async backToDraft(actor: Actor, id: string): Promise<PostmortemDetail> {
    const row = await this.writable(actor, id);
    const why = checkPostmortemTransition(row.status as Postmortem['status'], 'draft', []);
    if (why) throw conflict('POSTMORTEM_STATUS_CONFLICT', why, 'status');
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      await updatePostmortemRow(trx, id, {
        status: 'draft',
        updated_by: actor.name,
        updated_at: now,
      });
      const reviewers = await selectReviewers(trx, id);
      await upsertReviewers(
        trx,
        id,
        reviewers.map((r) => r.user_id),
        now,
      );
      await addTimelineEntry(trx, {
        incidentId: row.incident_id,
        at: now,
        kind: 'postmortem.back_to_draft',
        actorName: actor.name,
        message: 'Postmortem returned to draft for rework',
      });
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem.back_to_draft',
        targetType: 'postmortem',
        targetId: id,
        teamId: row.team_id,
      });
    });
    return this.get(actor, id);
  }

  /** A requested reviewer approves or comments. */
  async review(actor: Actor, id: string, input: ReviewInput): Promise<PostmortemDetail> {
    const row = await this.readable(actor, id);
    if (actor.type !== 'user') throw forbidden('Reviewers are people');
    const me = (await selectReviewers(this.deps.db, id)).find((r) => r.user_id === actor.userId);
    if (!me) throw forbidden('Only requested reviewers review this postmortem', 'NOT_A_REVIEWER');
    if (row.status !== 'in_review')
      throw conflict('POSTMORTEM_STATUS_CONFLICT', 'The postmortem is not in review', 'status');
    if (input.decision === 'comment' && !input.body)
      throw invalid('VALIDATION_FAILED', 'body', 'A comment needs text');
    if ((await selectComments(this.deps.db, id)).length >= MAX_COMMENTS)
      throw conflict('COMMENTS_LIMIT', `A postmortem has at most ${MAX_COMMENTS} comments`);
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      if (input.decision === 'approve')
        await setReviewerState(trx, id, actor.userId, 'approved', now);
      await insertComment(trx, {
        id: newId(),
        postmortem_id: id,
        user_id: actor.userId,
        author_name: actor.name,
        section: input.section ?? null,
        body: input.body || (input.decision === 'approve' ? 'Approved' : ''),
        kind: input.decision === 'approve' ? 'approval' : 'comment',
        created_at: now,
      });
      await this.deps.audit.record(trx, actor, {
        action: `postmortem.review.${input.decision}`,
        targetType: 'postmortem',
        targetId: id,
        teamId: row.team_id,
      });
    });
    return this.get(actor, id);
  }

  /** Anyone of the team comments (optionally on a section). */
  async comment(
    actor: Actor,
    id: string,
    input: { body: string; section?: SectionId | undefined },
  ): Promise<PostmortemDetail> {
    await this.readable(actor, id);
    if ((await selectComments(this.deps.db, id)).length >= MAX_COMMENTS)
      throw conflict('COMMENTS_LIMIT', `A postmortem has at most ${MAX_COMMENTS} comments`);
    await insertComment(this.deps.db, {
      id: newId(),
      postmortem_id: id,
      user_id: actor.type === 'user' ? actor.userId : null,
      author_name: actor.name,
      section: input.section ?? null,
      body: input.body,
      kind: 'comment',
      created_at: this.now(),
    });
    return this.get(actor, id);
  }

  /** in review → published, once every reviewer approved. */
  async publish(actor: Actor, id: string): Promise<PostmortemDetail> {
    const row = await this.writable(actor, id);
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      const reviewers = await selectReviewers(trx, id);
      const why = checkPostmortemTransition(
        row.status as Postmortem['status'],
        'published',
        reviewers,
      );
      if (why) throw conflict('POSTMORTEM_STATUS_CONFLICT', why, 'status');
      await updatePostmortemRow(trx, id, {
        status: 'published',
        published_at: now,
        published_by: actor.name,
        updated_by: actor.name,
        updated_at: now,
      });
      await addTimelineEntry(trx, {
        incidentId: row.incident_id,
        at: now,
        kind: 'postmortem.published',
        actorName: actor.name,
        message: `Postmortem published (approved by ${reviewers.map((r) => r.name).join(', ')})`,
      });
      await this.deps.audit.record(trx, actor, {
        action: 'postmortem.published',
        targetType: 'postmortem',
        targetId: id,
        teamId: row.team_id,
      });
    });
    return this.get(actor, id);
  }

  // ---- action items

  private async checkOwner(teamId: string, ownerId: string | null): Promise<void> {
    if (ownerId === null) return;
    const ok = await selectTeamMembers(this.deps.db, teamId, [ownerId]);
    if (ok.length === 0)
      throw invalid(
        'OWNER_NOT_IN_TEAM',
        'ownerId',
        'The owner must be an active member of the team',
      );
  }

  async addActionItem(
    actor: Actor,
    postmortemId: string,
    input: CreateActionItemInput,
  ): Promise<ActionItem> {
    const pm = await this.writable(actor, postmortemId);
    await this.checkOwner(pm.team_id, input.ownerId);
    if ((await selectActionItemsOf(this.deps.db, postmortemId)).length >= MAX_ACTION_ITEMS)
      throw conflict(
        'ACTION_ITEMS_LIMIT',
        `A postmortem has at most ${MAX_ACTION_ITEMS} action items`,
      );
    const now = this.now();
    const id = newId();
    await inTransaction(this.deps.db, async (trx) => {
      await insertActionItem(trx, {
        id,
        postmortem_id: postmortemId,
        incident_id: pm.incident_id,
        team_id: pm.team_id,
        title: input.title,
        description: input.description,
        owner_id: input.ownerId,
        priority: input.priority,
        due_at: input.dueAt,
        status: 'open',
        created_by: actor.name,
        created_at: now,
        updated_at: now,
        closed_at: null,
        remind_at: input.dueAt,
        tracker: null,
        external_key: null,
        external_url: null,
        external_state: null,
        synced_at: null,
        sync_at: null,
        sync_error: null,
      });
      await this.deps.audit.record(trx, actor, {
        action: 'action_item.created',
        targetType: 'action_item',
        targetId: id,
        teamId: pm.team_id,
        after: input,
      });
    });
    this.deps.onNewWork?.();
    return toActionItem((await selectActionItem(this.deps.db, id))!, now);
  }

  private async itemFor(actor: Actor, id: string, write: boolean): Promise<Row<'action_items'>> {
    const row = await selectActionItem(this.deps.db, id);
    if (!row || roleInTeam(actor, row.team_id) === undefined)
      throw notFound('Action item', 'ACTION_ITEM_NOT_FOUND');
    if (write && !canInTeam(actor, row.team_id, 'responder'))
      throw forbidden('Responders of the team manage action items');
    return row;
  }

  async getActionItem(actor: Actor, id: string): Promise<ActionItem> {
    return toActionItem(await this.itemFor(actor, id, false), this.now());
  }

  async updateActionItem(
    actor: Actor,
    id: string,
    patch: UpdateActionItemInput,
  ): Promise<ActionItem> {
    const row = await this.itemFor(actor, id, true);
    if (patch.ownerId !== undefined) await this.checkOwner(row.team_id, patch.ownerId);
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      await updateActionItemRow(trx, id, {
        ...itemChanges(row, patch, now),
        ...definedFields({
          title: patch.title,
          description: patch.description,
          owner_id: patch.ownerId,
          priority: patch.priority,
        }),
      });
      await this.deps.audit.record(trx, actor, {
        action: 'action_item.updated',
        targetType: 'action_item',
        targetId: id,
        teamId: row.team_id,
        after: patch,
      });
    });
    this.deps.onNewWork?.();
    return toActionItem((await selectActionItem(this.deps.db, id))!, now);
  }

  async listActionItems(actor: Actor, q: ActionItemQuery): Promise<ActionItem[]> {
    let teamIds = visibleTeams(actor);
    if (q.teamId) teamIds = roleInTeam(actor, q.teamId) === undefined ? [] : [q.teamId];
    const now = this.now();
    return (
      await selectActionItems(this.deps.db, {
        teamIds,
        status: q.status,
        ownerId: q.ownerId,
        overdueAt: q.overdue === 'true' ? now : undefined,
        limit: q.limit,
      })
    ).map((r) => toActionItem(r, now));
  }

  private trackerConfig(s: PostmortemSettings, kind: TrackerKind): TrackerConfig {
    const c = kind === 'jira' ? s.jira : s.github;
    if (!c)
      throw conflict('TRACKER_NOT_CONFIGURED', `No ${kind} connection is configured`, 'tracker');
    const token = c.token ? this.deps.cipher.decrypt(c.token) : '';
    return kind === 'jira'
      ? { kind: 'jira', ...(c as NonNullable<PostmortemSettings['jira']>), token }
      : { kind: 'github', ...(c as NonNullable<PostmortemSettings['github']>), token };
  }

  /** Opens an issue for the action item in Jira or GitHub and links it; its state is polled back. */
  async exportActionItem(actor: Actor, id: string, kind: TrackerKind): Promise<ActionItem> {
    const row = await this.itemFor(actor, id, true);
    if (row.external_key)
      throw conflict('ACTION_ITEM_EXPORTED', `Already exported as ${row.external_key}`, 'tracker');
    const s = await this.settings();
    const config = this.trackerConfig(s, kind);
    const incident = await loadIncident(this.deps.db, row.incident_id);
    const pm = await selectPostmortem(this.deps.db, row.postmortem_id);
    const body = [
      row.description,
      '',
      `Priority: ${row.priority} (${priorityMeaning[row.priority as 'high']})`,
      `From the postmortem of incident #${incident?.number ?? '?'}: ${pm?.title ?? ''}`,
      `Tocsin action item ${row.id}`,
    ]
      .join('\n')
      .trim();
    // Claim the item first (one conditional UPDATE), so two concurrent exports cannot open two
    // issues; the vendor call runs outside any transaction and the link is recorded after it.
    // A failed call releases the claim.
    if (!(await claimActionItemExport(this.deps.db, id, kind)))
      throw conflict('ACTION_ITEM_EXPORTED', 'The action item is being exported', 'tracker');
    let issue: Awaited<ReturnType<TrackerPort['create']>>;
    try {
      issue = await this.deps.tracker.create(config, {
        title: row.title,
        body,
        priority: row.priority as 'high',
        dueAt: row.due_at,
      });
    } catch (err) {
      await releaseActionItemExport(this.deps.db, id);
      throw err;
    }
    const now = this.now();
    await inTransaction(this.deps.db, async (trx) => {
      await updateActionItemRow(trx, id, {
        tracker: kind,
        external_key: issue.key,
        external_url: issue.url,
        external_state: issue.state,
        synced_at: now,
        sync_at: now + s.syncMinutes * 60_000,
        sync_error: null,
        updated_at: now,
      });
      await addTimelineEntry(trx, {
        incidentId: row.incident_id,
        at: now,
        kind: 'action_item.exported',
        actorName: actor.name,
        message: `Action item "${row.title}" exported to ${kind} as ${issue.key}`,
        data: { actionItemId: id, key: issue.key, url: issue.url },
      });
      await this.deps.audit.record(trx, actor, {
        action: 'action_item.exported',
        targetType: 'action_item',
        targetId: id,
        teamId: row.team_id,
        after: { tracker: kind, key: issue.key, url: issue.url },
      });
    });
    this.deps.onNewWork?.();
    return toActionItem((await selectActionItem(this.deps.db, id))!, now);
  }

  // ---- engine

  /**
   * Polls the tracker for exported items whose sync is due and mirrors the issue's state on the
   * item (done, won't do, in progress, reopened). A failure is recorded on the item and retried
   * at the next interval. Items closed here stop being polled.
   */
  async syncDue(now: number, batch = 20): Promise<number> {
    const due = await selectDueSyncs(this.deps.db, now, batch);
    if (due.length === 0) return 0;
    const s = await this.settings();
    const next = now + s.syncMinutes * 60_000;
    for (const row of due) {
      let state: { state: string; reason: string | null } | undefined;
      let error: string | null = null;
      try {
        state = await this.deps.tracker.state(
          this.trackerConfig(s, row.tracker as TrackerKind),
          row.external_key!,
        );
      } catch (err) {
        error = isAppError(err) ? err.message : 'tracker request failed';
      }
      await inTransaction(this.deps.db, async (trx) => {
        const current = await selectActionItem(trx, row.id);
        if (!current || current.sync_at === null || current.sync_at > now) return;
        if (!state) {
          await updateActionItemRow(trx, row.id, { sync_error: error, sync_at: next });
          return;
        }
        const status = statusFromTracker(current.tracker as TrackerKind, state);
        const changes = status !== current.status ? itemChanges(current, { status }, now) : {};
        const closed = status === 'done' || status === 'wont_do';
        await updateActionItemRow(trx, row.id, {
          ...changes,
          external_state: state.state,
          synced_at: now,
          sync_error: null,
          sync_at: closed ? null : next,
        });
        if (status !== current.status)
          await addTimelineEntry(trx, {
            incidentId: current.incident_id,
            at: now,
            kind: 'action_item.synced',
            actorName: current.tracker ?? 'tracker',
            message: `Action item "${current.title}" is ${status.replace('_', ' ')} (${current.external_key} in ${current.tracker})`,
            data: { actionItemId: current.id, status },
          });
      });
    }
    return due.length;
  }

  /** Reminds owners of overdue action items, every `reminderHours` until closed. */
  async remindDue(now: number, batch = 50): Promise<number> {
    const due = await selectDueActionReminders(this.deps.db, now, batch);
    if (due.length === 0) return 0;
    const s = await this.settings();
    for (const row of due) {
      await inTransaction(this.deps.db, async (trx) => {
        const item = await selectActionItem(trx, row.id);
        if (!item || item.remind_at === null || item.remind_at > now) return;
        const open = item.status === 'open' || item.status === 'in_progress';
        if (!open || item.due_at === null) {
          await updateActionItemRow(trx, item.id, { remind_at: null });
          return;
        }
        if (item.due_at > now) {
          await updateActionItemRow(trx, item.id, { remind_at: item.due_at });
          return;
        }
        const incident = await loadIncident(trx, item.incident_id);
        if (item.owner_id && incident) {
          const days = Math.max(0, Math.floor((now - item.due_at) / DAY));
          await pageUsers(trx, { id: incident.id, urgency: 'low' }, [item.owner_id], now, {
            key: (u) => `action-overdue:${item.id}:${item.remind_at}:${u}`,
            reason: 'action-item-overdue',
            level: null,
            round: null,
            message: `[#${incident.number}] Action item overdue${days ? ` by ${days} d` : ''}: ${item.title}`,
          });
        }
        await updateActionItemRow(trx, item.id, { remind_at: now + s.reminderHours * 3_600_000 });
      });
    }
    return due.length;
  }

  nextTimerAt(db: Executor = this.deps.db): Promise<number | undefined> {
    return selectNextActionTimer(db);
  }
}

/** Status and due-date changes with the timers and closing time they imply. */
function itemChanges(
  row: Row<'action_items'>,
  patch: { status?: ActionStatus | undefined; dueAt?: number | null | undefined },
  now: number,
) {
  const status = patch.status ?? (row.status as ActionStatus);
  const dueAt = patch.dueAt !== undefined ? patch.dueAt : row.due_at;
  const open = status === 'open' || status === 'in_progress';
  const wasOpen = row.status === 'open' || row.status === 'in_progress';
  return {
    status,
    due_at: dueAt,
    updated_at: now,
    closed_at: open ? null : wasOpen ? now : row.closed_at,
    remind_at:
      open && dueAt !== null
        ? patch.dueAt !== undefined || !wasOpen
          ? dueAt
          : row.remind_at
        : null,
  };
}

/** The teams an actor reads (undefined: all). */
function visibleTeams(actor: Actor): string[] | undefined {
  if (isOrgAdmin(actor)) return undefined;
  if (actor.type === 'apikey') return [actor.teamId];
  if (actor.type === 'user') return [...actor.roles.keys()];
  return [];
}

function roleInTeamAny(actor: Actor): boolean {
  return (
    isOrgAdmin(actor) || actor.type === 'apikey' || (actor.type === 'user' && actor.roles.size > 0)
  );
}
