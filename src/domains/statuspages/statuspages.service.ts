import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { actorId, canInTeam, isOrgAdmin, type Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { AppError, forbidden, invalid, notFound, parseInput } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import { definedFields } from '../../core/objects.js';
import { inTransaction, type Database, type Executor } from '../../db/index.js';
import type { AuditEvent, AuditService } from '../audit/index.js';
import { hashPassword, selectTeamById, verifyPassword } from '../identity/index.js';
import { addTimelineEntry } from '../incidents/index.js';
import { isValidTimeZone } from '../oncall/index.js';
import { PublicCache, type Cached } from './public-cache.js';
import { buildPublicView, uptimeDays, type PublicView } from './public-view.js';
import {
  ipAllowed,
  messageTemplates,
  type ComponentStatus,
  type PageAccess,
  type TemplateStatus,
} from './statuspage.js';
import {
  createComponentSchema,
  createMaintenanceSchema,
  createPageSchema,
  createPublicIncidentSchema,
  maintenanceUpdateSchema,
  publicIncidentUpdateSchema,
  updateComponentSchema,
  updatePageSchema,
  type CreateComponentInput,
  type CreateMaintenanceInput,
  type CreatePageInput,
  type CreatePublicIncidentInput,
  type MaintenanceUpdateInput,
  type PublicIncidentUpdateInput,
  type UpdateComponentInput,
  type UpdatePageInput,
} from './statuspages.schema.js';
import {
  claimEventStep,
  deleteComponentRow,
  deletePageRow,
  insertComponent,
  insertEvent,
  insertPage,
  insertUpdate,
  selectCheckOutages,
  selectCheckStates,
  selectCheckTeams,
  selectComponent,
  selectComponents,
  selectCustomDomains,
  selectDueEvents,
  selectEvent,
  selectEvents,
  selectIncidentTeam,
  selectIncidentsOfServices,
  selectNextEventAt,
  selectPage,
  selectPageBySlug,
  selectPages,
  selectServiceTeams,
  selectUpdates,
  updateComponentRow,
  updateEventRow,
  updatePageRow,
  type ComponentRow,
  type EventRow,
  type PageRow,
} from './statuspages.store.js';

/** A status page as its admins see it. */
export interface StatusPage {
  id: string;
  teamId: string;
  slug: string;
  name: string;
  description: string;
  logoUrl: string | null;
  brandColor: string;
  customDomain: string | null;
  timeZone: string;
  access: PageAccess;
  hasPassword: boolean;
  ipAllow: string[];
  /** The text a poster starts from, per status (`{components}`: the affected components). */
  messageTemplates: Record<TemplateStatus, string>;
  /** The statuses whose template this page changed from Tocsin's default. */
  customTemplates: TemplateStatus[];
  createdAt: number;
  updatedAt: number;
}

/** A component as its admins see it. */
export interface StatusComponent {
  id: string;
  pageId: string;
  name: string;
  description: string;
  group: string | null;
  position: number;
  manualStatus: ComponentStatus | null;
  serviceIds: string[];
  checkIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** A public incident or maintenance as its admins see it (with the internal link). */
export interface StatusEvent {
  id: string;
  pageId: string;
  kind: 'incident' | 'maintenance';
  incidentId: string | null;
  title: string;
  status: string;
  impact: string;
  componentIds: string[];
  scheduledFor: number | null;
  scheduledUntil: number | null;
  autoTransition: boolean;
  notifyBeforeMs: number | null;
  startedAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
  updates: Array<{ id: string; status: string; body: string; createdAt: number }>;
}

/** A page's detail for admins: the page, components with their current status, and events. */
export interface StatusPageDetail {
  page: StatusPage;
  components: Array<StatusComponent & { status: ComponentStatus; uptimePercent: number | null }>;
  overall: PublicView['status'];
}

/** What the public routes hold per page: the view, and what decides who may see it. */
export interface PublicEntry {
  view: PublicView;
  access: { mode: PageAccess; passwordHash: string | null; ipAllow: string[] };
}

/** Who is asking for a public page. */
export interface PublicClient {
  ip: string;
  /** The page's access cookie, when the browser sent one. */
  accessToken?: string | undefined;
}

/** Called inside the transaction of every public incident or maintenance change (notices). */
export type StatusEventHook = (
  trx: Executor,
  page: PageRow,
  event: EventRow,
  update: {
    status: string;
    body: string;
    phase: 'created' | 'updated' | 'advance' | 'started' | 'completed';
  },
) => Promise<void>;

const day = 86_400_000;

/** A host name as custom domains are stored: lower case, without port or trailing dot. */
function normalHost(host: string): string {
  return host.trim().replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
}

/** The host of a URL (normalised), or undefined when there is none or it does not parse. */
function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return normalHost(new URL(url).hostname);
  } catch {
    return undefined;
  }
}

const idsOf = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/** The page's changed templates after `changes` (null or blank: back to the default), as JSON. */
function mergeTemplates(
  current: Partial<Record<TemplateStatus, string>> | null,
  changes: Partial<Record<TemplateStatus, string | null>>,
): string | null {
  const next: Partial<Record<TemplateStatus, string>> = { ...(current ?? {}) };
  for (const [status, text] of Object.entries(changes) as Array<[TemplateStatus, string | null]>) {
    if (text === null || text.trim() === '') delete next[status];
    else next[status] = text;
  }
  return Object.keys(next).length === 0 ? null : JSON.stringify(next);
}

function customTemplatesOf(r: PageRow): Partial<Record<TemplateStatus, string>> | null {
  return r.message_templates_json === null
    ? null
    : (JSON.parse(r.message_templates_json) as Partial<Record<TemplateStatus, string>>);
}

function toPage(r: PageRow): StatusPage {
  return {
    id: r.id,
    teamId: r.team_id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    logoUrl: r.logo_url,
    brandColor: r.brand_color,
    customDomain: r.custom_domain,
    timeZone: r.time_zone,
    access: r.access as PageAccess,
    hasPassword: r.password_hash !== null,
    ipAllow: JSON.parse(r.ip_allow_json) as string[],
    messageTemplates: messageTemplates(customTemplatesOf(r)),
    customTemplates: Object.keys(customTemplatesOf(r) ?? {}) as TemplateStatus[],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toComponent(r: ComponentRow): StatusComponent {
  return {
    id: r.id,
    pageId: r.page_id,
    name: r.name,
    description: r.description,
    group: r.group_name,
    position: r.position,
    manualStatus: r.manual_status as ComponentStatus | null,
    serviceIds: idsOf(r.service_ids_json),
    checkIds: idsOf(r.check_ids_json),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * The token a password-protected page's cookie holds: an HMAC of the page id keyed by the
 * password's hash, so changing the password signs everyone out and the token reveals nothing.
 */
export function pageAccessToken(pageId: string, passwordHash: string): string {
  return createHmac('sha256', passwordHash).update(`status-page:${pageId}`).digest('base64url');
}

/**
 * Status pages: admins (the page team's responders) set up pages and components and post public
 * incidents and maintenance; the public reads a cached view built from them and from the linked
 * services' incidents and checks.
 */
export class StatusPagesService {
  private readonly cache: PublicCache<PublicEntry | null>;
  private domains = new Map<string, string>();
  private domainsLoadedAt = 0;
  private domainsLoading: Promise<void> | undefined;
  private readonly hooks: StatusEventHook[] = [];

  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      clock: Clock;
      audit: AuditService;
      logger?: Logger;
      /** How long a built page is served before a background rebuild (default 5 s). */
      cacheTtlMs?: number;
      /** Called after every page change (app/: the wake-up channel, so other nodes refresh). */
      onChange?: () => void;
      /** Tocsin's own address (config `publicUrl`): its host may not be a page's custom domain. */
      publicUrl?: string | undefined;
    },
  ) {
    this.cache = new PublicCache<PublicEntry | null>({
      now: () => deps.clock.now(),
      ttlMs: deps.cacheTtlMs ?? 5000,
      build: (slug) => this.buildEntry(slug),
      onError: (slug, err) =>
        deps.logger?.warn({ err, slug }, 'status page rebuild failed; serving the cached copy'),
    });
  }

  /** Registers a hook called in the transaction of every public change (notices). */
  onEvent(hook: StatusEventHook): void {
    this.hooks.push(hook);
  }

  // ---- access

  private teamsOf(actor: Actor): string[] | 'all' {
    if (isOrgAdmin(actor)) return 'all';
    if (actor.type === 'apikey') return [actor.teamId];
    if (actor.type === 'user') return [...actor.roles.keys()];
    return [];
  }

  private async readablePage(actor: Actor, id: string): Promise<PageRow> {
    const row = await selectPage(this.deps.db, id);
    if (!row || !canInTeam(actor, row.team_id, 'viewer'))
      throw notFound('Status page', 'STATUS_PAGE_NOT_FOUND');
    return row;
  }

  private async writablePage(actor: Actor, id: string): Promise<PageRow> {
    const row = await this.readablePage(actor, id);
    if (!canInTeam(actor, row.team_id, 'responder'))
      throw forbidden('Only the team’s responders can change its status pages');
    return row;
  }

  private async changed(page: PageRow, oldSlug?: string): Promise<void> {
    this.cache.invalidate(page.slug);
    if (oldSlug && oldSlug !== page.slug) this.cache.forget(oldSlug);
    this.domainsLoadedAt = 0;
    await this.refreshDomains();
    this.deps.onChange?.();
  }

  // ---- pages

  /** Pages the actor can read. */
  async list(actor: Actor): Promise<StatusPage[]> {
    return (await selectPages(this.deps.db, this.teamsOf(actor))).map(toPage);
  }

  /** One page with components and their current status. */
  async get(actor: Actor, id: string): Promise<StatusPageDetail> {
    const row = await this.readablePage(actor, id);
    const [components, entry] = await Promise.all([
      selectComponents(this.deps.db, id),
      this.buildEntry(row.slug),
    ]);
    const statuses = new Map(entry?.view.components.map((c) => [c.id, c]) ?? []);
    return {
      page: toPage(row),
      components: components.map((c) => ({
        ...toComponent(c),
        status: statuses.get(c.id)?.status ?? 'operational',
        uptimePercent: statuses.get(c.id)?.uptime.percent ?? null,
      })),
      overall: entry?.view.status ?? { indicator: 'none', description: 'All Systems Operational' },
    };
  }

  private async checkPageInput(
    input: { timeZone?: string | undefined; access?: PageAccess | undefined },
    passwordSet: boolean,
    ipAllow: string[],
  ): Promise<void> {
    if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone))
      throw invalid('STATUS_PAGE_TIME_ZONE', 'timeZone', 'timeZone: not an IANA time zone');
    if (input.access === 'password' && !passwordSet)
      throw invalid(
        'STATUS_PAGE_PASSWORD_REQUIRED',
        'password',
        'password: required for access "password"',
      );
    if (input.access === 'ip' && ipAllow.length === 0)
      throw invalid('STATUS_PAGE_IP_REQUIRED', 'ipAllow', 'ipAllow: required for access "ip"');
    await Promise.resolve();
  }

  private async unique(
    field: 'slug' | 'customDomain',
    value: string | null,
    exceptId?: string,
  ): Promise<void> {
    if (value === null) return;
    const q = this.deps.db
      .selectFrom('status_pages')
      .select('id')
      .where(field === 'slug' ? 'slug' : 'custom_domain', '=', value);
    const hit = await q.executeTakeFirst();
    if (hit && hit.id !== exceptId)
      throw new AppError({
        kind: 'conflict',
        code: field === 'slug' ? 'STATUS_PAGE_SLUG_TAKEN' : 'STATUS_PAGE_DOMAIN_TAKEN',
        field,
        message: `${field}: another status page uses ${value}`,
      });
  }

  /**
   * A custom domain routes a host of the whole server to one page, so only organisation admins
   * set one, and only once `TOCSIN_PUBLIC_URL` says which host is Tocsin's own (the `Host`
   * header of a request is the client's to choose, so it cannot tell). Refused too: Tocsin's own
   * hosts, its public URL's and the one the request came in on (`requestHost`). The custom
   * domain's rewrite would otherwise hand that host's `/`, `/login`, … to the page, for everyone.
   */
  private checkCustomDomain(
    actor: Actor,
    domain: string | null | undefined,
    requestHost?: string,
    before?: string | null,
  ): void {
    if (!domain || domain === before) return;
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins set a custom domain');
    if (!this.deps.publicUrl)
      throw invalid(
        'STATUS_PAGE_DOMAIN_NEEDS_PUBLIC_URL',
        'customDomain',
        'customDomain: set TOCSIN_PUBLIC_URL (the URL Tocsin itself is reached at) to use custom domains',
      );
    const own = [hostOf(this.deps.publicUrl), requestHost && normalHost(requestHost)];
    if (own.includes(domain))
      throw invalid(
        'STATUS_PAGE_DOMAIN_RESERVED',
        'customDomain',
        `customDomain: ${domain} is where Tocsin itself is served; use a host of its own`,
      );
  }

  /** Creates a page (team responders). `requestHost`: the host the request came in on. */
  async create(
    actor: Actor,
    raw: CreatePageInput,
    context: { requestHost?: string } = {},
  ): Promise<StatusPage> {
    const input = parseInput(createPageSchema, raw);
    if (!canInTeam(actor, input.teamId, 'responder'))
      throw forbidden('Only the team’s responders can create its status pages');
    await this.checkPageInput(input, input.password !== undefined, input.ipAllow);
    if (isOrgAdmin(actor) && !(await selectTeamById(this.deps.db, input.teamId)))
      throw notFound('Team', 'TEAM_NOT_FOUND', 'teamId');
    this.checkCustomDomain(actor, input.customDomain, context.requestHost);
    await this.unique('slug', input.slug);
    await this.unique('customDomain', input.customDomain);
    const now = this.deps.clock.now();
    const row: PageRow = {
      id: newId(),
      team_id: input.teamId,
      slug: input.slug,
      name: input.name,
      description: input.description,
      logo_url: input.logoUrl,
      brand_color: input.brandColor,
      custom_domain: input.customDomain,
      time_zone: input.timeZone,
      access: input.access,
      password_hash: input.password === undefined ? null : await hashPassword(input.password),
      ip_allow_json: JSON.stringify(input.ipAllow),
      message_templates_json: null,
      created_at: now,
      updated_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertPage(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'status_page.create',
        targetType: 'status_page',
        targetId: row.id,
        teamId: row.team_id,
        after: toPage(row),
      });
    });
    this.cache.forget(row.slug);
    await this.changed(row);
    return toPage(row);
  }

  /** Changes a page's settings. `requestHost`: the host the request came in on. */
  async update(
    actor: Actor,
    id: string,
    raw: UpdatePageInput,
    context: { requestHost?: string } = {},
  ): Promise<StatusPage> {
    const before = await this.writablePage(actor, id);
    const input = parseInput(updatePageSchema, raw);
    this.checkCustomDomain(actor, input.customDomain, context.requestHost, before.custom_domain);
    const ipAllow = input.ipAllow ?? (JSON.parse(before.ip_allow_json) as string[]);
    await this.checkPageInput(
      { timeZone: input.timeZone, access: input.access ?? (before.access as PageAccess) },
      input.password !== undefined || before.password_hash !== null,
      ipAllow,
    );
    if (input.slug !== undefined) await this.unique('slug', input.slug, id);
    if (input.customDomain !== undefined) await this.unique('customDomain', input.customDomain, id);
    const after: PageRow = {
      ...before,
      ...definedFields({
        slug: input.slug,
        name: input.name,
        description: input.description,
        logo_url: input.logoUrl,
        brand_color: input.brandColor,
        custom_domain: input.customDomain,
        time_zone: input.timeZone,
        access: input.access,
      }),
      ...(input.password !== undefined
        ? { password_hash: await hashPassword(input.password) }
        : {}),
      ip_allow_json: JSON.stringify(ipAllow),
      ...(input.messageTemplates !== undefined
        ? {
            message_templates_json: mergeTemplates(
              customTemplatesOf(before),
              input.messageTemplates,
            ),
          }
        : {}),
      updated_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      const { id: _id, ...patch } = after;
      await updatePageRow(trx, id, patch);
      await this.deps.audit.record(trx, actor, {
        action: 'status_page.update',
        targetType: 'status_page',
        targetId: id,
        teamId: before.team_id,
        before: toPage(before),
        after: toPage(after),
      });
    });
    await this.changed(after, before.slug);
    return toPage(after);
  }

  /** Deletes a page and everything on it (team admins). */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.readablePage(actor, id);
    if (!canInTeam(actor, row.team_id, 'admin'))
      throw forbidden('Only the team’s admins can delete a status page');
    await inTransaction(this.deps.db, async (trx) => {
      await deletePageRow(trx, id);
      await this.deps.audit.record(trx, actor, {
        action: 'status_page.delete',
        targetType: 'status_page',
        targetId: id,
        teamId: row.team_id,
        before: toPage(row),
      });
    });
    this.cache.forget(row.slug);
    await this.changed(row);
  }

  // ---- components

  private async checkLinks(
    page: PageRow,
    serviceIds: string[] | undefined,
    checkIds: string[] | undefined,
  ): Promise<void> {
    if (serviceIds?.length) {
      const found = await selectServiceTeams(this.deps.db, serviceIds);
      const bad = serviceIds.find((s) => found.find((f) => f.id === s)?.team_id !== page.team_id);
      if (bad)
        throw invalid(
          'STATUS_COMPONENT_SERVICE',
          'serviceIds',
          `serviceIds: ${bad} is not a service of the page's team`,
        );
    }
    if (checkIds?.length) {
      const found = await selectCheckTeams(this.deps.db, checkIds);
      const bad = checkIds.find((s) => found.find((f) => f.id === s)?.team_id !== page.team_id);
      if (bad)
        throw invalid(
          'STATUS_COMPONENT_CHECK',
          'checkIds',
          `checkIds: ${bad} is not a check of the page's team`,
        );
    }
  }

  /** Adds a component. */
  async addComponent(
    actor: Actor,
    pageId: string,
    raw: CreateComponentInput,
  ): Promise<StatusComponent> {
    const page = await this.writablePage(actor, pageId);
    const input = parseInput(createComponentSchema, raw);
    await this.checkLinks(page, input.serviceIds, input.checkIds);
    const existing = await selectComponents(this.deps.db, pageId);
    if (existing.length >= 200)
      throw new AppError({
        kind: 'conflict',
        code: 'STATUS_COMPONENT_LIMIT',
        message: 'A page holds at most 200 components',
      });
    const now = this.deps.clock.now();
    const row: ComponentRow = {
      id: newId(),
      page_id: pageId,
      group_name: input.group,
      name: input.name,
      description: input.description,
      position: input.position ?? existing.reduce((n, c) => Math.max(n, c.position + 1), 0),
      manual_status: input.manualStatus,
      service_ids_json: JSON.stringify(input.serviceIds),
      check_ids_json: JSON.stringify(input.checkIds),
      created_at: now,
      updated_at: now,
    };
    await inTransaction(this.deps.db, async (trx) => {
      await insertComponent(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'status_component.create',
        targetType: 'status_component',
        targetId: row.id,
        teamId: page.team_id,
        after: toComponent(row),
      });
    });
    await this.changed(page);
    return toComponent(row);
  }

  /** Changes a component (`manualStatus: null` returns it to derived status). */
  async updateComponent(
    actor: Actor,
    pageId: string,
    componentId: string,
    raw: UpdateComponentInput,
  ): Promise<StatusComponent> {
    const page = await this.writablePage(actor, pageId);
    const before = await selectComponent(this.deps.db, pageId, componentId);
    if (!before) throw notFound('Component', 'STATUS_COMPONENT_NOT_FOUND');
    const input = parseInput(updateComponentSchema, raw);
    await this.checkLinks(page, input.serviceIds, input.checkIds);
    const after: ComponentRow = {
      ...before,
      ...definedFields({
        name: input.name,
        description: input.description,
        group_name: input.group,
        position: input.position,
        manual_status: input.manualStatus,
        service_ids_json: input.serviceIds && JSON.stringify(input.serviceIds),
        check_ids_json: input.checkIds && JSON.stringify(input.checkIds),
      }),
      updated_at: this.deps.clock.now(),
    };
    await inTransaction(this.deps.db, async (trx) => {
      const { id: _id, ...patch } = after;
      await updateComponentRow(trx, componentId, patch);
      await this.deps.audit.record(trx, actor, {
        action: 'status_component.update',
        targetType: 'status_component',
        targetId: componentId,
        teamId: page.team_id,
        before: toComponent(before),
        after: toComponent(after),
      });
    });
    await this.changed(page);
    return toComponent(after);
  }

  /** Removes a component. */
  async removeComponent(actor: Actor, pageId: string, componentId: string): Promise<void> {
    const page = await this.writablePage(actor, pageId);
    const before = await selectComponent(this.deps.db, pageId, componentId);
    if (!before) throw notFound('Component', 'STATUS_COMPONENT_NOT_FOUND');
    await inTransaction(this.deps.db, async (trx) => {
      await deleteComponentRow(trx, componentId);
      await this.deps.audit.record(trx, actor, {
        action: 'status_component.delete',
        targetType: 'status_component',
        targetId: componentId,
        teamId: page.team_id,
        before: toComponent(before),
      });
    });
    await this.changed(page);
  }

  // ---- public incidents and maintenance

  private async checkComponents(pageId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const known = new Set((await selectComponents(this.deps.db, pageId)).map((c) => c.id));
    const bad = ids.find((i) => !known.has(i));
    if (bad)
      throw invalid(
        'STATUS_COMPONENT_UNKNOWN',
        'componentIds',
        `componentIds: ${bad} is not a component of this page`,
      );
  }

  private async toEvents(rows: EventRow[]): Promise<StatusEvent[]> {
    const updates = await selectUpdates(
      this.deps.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      pageId: r.page_id,
      kind: r.kind as 'incident' | 'maintenance',
      incidentId: r.incident_id,
      title: r.title,
      status: r.status,
      impact: r.impact,
      componentIds: idsOf(r.component_ids_json),
      scheduledFor: r.scheduled_for == null ? null : Number(r.scheduled_for),
      scheduledUntil: r.scheduled_until == null ? null : Number(r.scheduled_until),
      autoTransition: r.auto_transition === 1,
      notifyBeforeMs: r.notify_before_ms == null ? null : Number(r.notify_before_ms),
      startedAt: r.started_at == null ? null : Number(r.started_at),
      resolvedAt: r.resolved_at == null ? null : Number(r.resolved_at),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      updates: updates
        .filter((u) => u.event_id === r.id)
        .map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: Number(u.created_at) }))
        .reverse(),
    }));
  }

  /** A page's public incidents or maintenance, newest first. */
  async listEvents(
    actor: Actor,
    pageId: string,
    kind: 'incident' | 'maintenance',
  ): Promise<StatusEvent[]> {
    await this.readablePage(actor, pageId);
    return this.toEvents(await selectEvents(this.deps.db, pageId, { kind, limit: 200 }));
  }

  /** One public incident or maintenance. */
  async getEvent(actor: Actor, pageId: string, eventId: string): Promise<StatusEvent> {
    await this.readablePage(actor, pageId);
    const row = await selectEvent(this.deps.db, pageId, eventId);
    if (!row) throw notFound('Public incident or maintenance', 'STATUS_EVENT_NOT_FOUND');
    return (await this.toEvents([row]))[0]!;
  }

  private async runHooks(
    trx: Executor,
    page: PageRow,
    event: EventRow,
    update: Parameters<StatusEventHook>[3],
    notify: boolean,
  ): Promise<void> {
    if (!notify) return;
    for (const hook of this.hooks) await hook(trx, page, event, update);
  }

  /**
   * Writes a public incident or maintenance (a new row, or changes to one) with its public
   * update, audit entry and hooks in one transaction, then refreshes the page.
   */
  private async writeEvent(
    actor: Actor,
    page: PageRow,
    row: EventRow,
    isNew: boolean,
    update: Parameters<StatusEventHook>[3],
    notify: boolean,
    audit: Pick<AuditEvent, 'action' | 'before' | 'after'>,
  ): Promise<StatusEvent> {
    await inTransaction(this.deps.db, async (trx) => {
      if (isNew) await insertEvent(trx, row);
      else {
        const { id: _id, ...patch } = row;
        await updateEventRow(trx, row.id, patch);
      }
      await insertUpdate(trx, {
        id: newId(),
        event_id: row.id,
        status: update.status,
        body: update.body,
        created_by: actorId(actor),
        created_at: row.updated_at,
      });
      await this.deps.audit.record(trx, actor, {
        ...audit,
        targetType: 'status_event',
        targetId: row.id,
        teamId: page.team_id,
      });
      await this.recordOnIncident(trx, actor, page, row, isNew, update);
      await this.runHooks(trx, page, row, update, notify);
    });
    await this.changed(page);
    return this.getEvent(actor, page.id, row.id);
  }

  /**
   * Puts a public post on the timeline of the incident it is linked to (if any), in the post's
   * transaction: responders see what customers were told, and the incident's live stream moves.
   */
  private async recordOnIncident(
    trx: Executor,
    actor: Actor,
    page: PageRow,
    row: EventRow,
    isNew: boolean,
    update: Parameters<StatusEventHook>[3],
  ): Promise<void> {
    if (row.incident_id === null) return;
    const body = update.body.slice(0, 500);
    await addTimelineEntry(trx, {
      incidentId: row.incident_id,
      at: Number(row.updated_at),
      kind: isNew ? 'statuspage.posted' : 'statuspage.updated',
      actorName: actor.name,
      message: isNew
        ? `Posted on status page ${page.name} (${update.status}): ${row.title}: ${body}`
        : `Status page ${page.name} updated (${update.status}): ${body}`,
      data: {
        pageId: page.id,
        pageName: page.name,
        eventId: row.id,
        title: row.title,
        status: update.status,
        impact: row.impact,
        body: update.body,
      },
    });
  }

  /** Posts a public incident with its first update. */
  async createIncident(
    actor: Actor,
    pageId: string,
    raw: CreatePublicIncidentInput,
  ): Promise<StatusEvent> {
    const page = await this.writablePage(actor, pageId);
    const input = parseInput(createPublicIncidentSchema, raw);
    await this.checkComponents(pageId, input.componentIds);
    if (input.incidentId !== null) {
      const internal = await selectIncidentTeam(this.deps.db, input.incidentId);
      if (!internal || !canInTeam(actor, internal.team_id, 'viewer'))
        throw invalid('STATUS_INCIDENT_LINK', 'incidentId', 'incidentId: no such incident');
    }
    const now = this.deps.clock.now();
    const row: EventRow = {
      id: newId(),
      page_id: pageId,
      kind: 'incident',
      incident_id: input.incidentId,
      title: input.title,
      status: input.status,
      impact: input.impact,
      component_ids_json: JSON.stringify(input.componentIds),
      scheduled_for: null,
      scheduled_until: null,
      auto_transition: 0,
      notify_before_ms: null,
      notice_sent_at: null,
      next_at: null,
      started_at: now,
      resolved_at: input.status === 'resolved' ? now : null,
      created_by: actorId(actor),
      created_at: now,
      updated_at: now,
    };
    return this.writeEvent(
      actor,
      page,
      row,
      true,
      { status: input.status, body: input.body, phase: 'created' },
      input.notify,
      {
        action: 'status_incident.create',
        after: { title: row.title, status: row.status, impact: row.impact },
      },
    );
  }

  /** Posts an update to a public incident (resolving it with status `resolved`). */
  async updateIncident(
    actor: Actor,
    pageId: string,
    eventId: string,
    raw: PublicIncidentUpdateInput,
  ): Promise<StatusEvent> {
    const page = await this.writablePage(actor, pageId);
    const before = await selectEvent(this.deps.db, pageId, eventId);
    if (!before || before.kind !== 'incident')
      throw notFound('Public incident', 'STATUS_EVENT_NOT_FOUND');
    const input = parseInput(publicIncidentUpdateSchema, raw);
    if (input.componentIds) await this.checkComponents(pageId, input.componentIds);
    const now = this.deps.clock.now();
    const after: EventRow = {
      ...before,
      status: input.status,
      ...(input.impact !== undefined ? { impact: input.impact } : {}),
      ...(input.componentIds !== undefined
        ? { component_ids_json: JSON.stringify(input.componentIds) }
        : {}),
      resolved_at: input.status === 'resolved' ? (before.resolved_at ?? now) : null,
      updated_at: now,
    };
    return this.writeEvent(
      actor,
      page,
      after,
      false,
      { status: input.status, body: input.body, phase: 'updated' },
      input.notify,
      {
        action: 'status_incident.update',
        before: { status: before.status, impact: before.impact },
        after: { status: after.status, impact: after.impact },
      },
    );
  }

  /** Schedules maintenance; with `autoTransition` the engine starts and completes it. */
  async createMaintenance(
    actor: Actor,
    pageId: string,
    raw: CreateMaintenanceInput,
  ): Promise<StatusEvent> {
    const page = await this.writablePage(actor, pageId);
    const input = parseInput(createMaintenanceSchema, raw);
    await this.checkComponents(pageId, input.componentIds);
    const now = this.deps.clock.now();
    const scheduledFor = Date.parse(input.scheduledFor);
    const scheduledUntil = Date.parse(input.scheduledUntil);
    if (scheduledUntil <= now)
      throw invalid('STATUS_MAINTENANCE_PAST', 'scheduledUntil', 'scheduledUntil: already past');
    const notifyBeforeMs =
      input.notifyBeforeMinutes === null ? null : input.notifyBeforeMinutes * 60_000;
    const row: EventRow = {
      id: newId(),
      page_id: pageId,
      kind: 'maintenance',
      incident_id: null,
      title: input.title,
      status: 'scheduled',
      impact: 'maintenance',
      component_ids_json: JSON.stringify(input.componentIds),
      scheduled_for: scheduledFor,
      scheduled_until: scheduledUntil,
      auto_transition: input.autoTransition ? 1 : 0,
      notify_before_ms: notifyBeforeMs,
      // An advance notice already inside its window is not sent: the creation notice says it.
      notice_sent_at: notifyBeforeMs === null || scheduledFor - notifyBeforeMs <= now ? now : null,
      next_at: null,
      started_at: null,
      resolved_at: null,
      created_by: actorId(actor),
      created_at: now,
      updated_at: now,
    };
    row.next_at = nextMaintenanceStep(row);
    return this.writeEvent(
      actor,
      page,
      row,
      true,
      { status: 'scheduled', body: input.body, phase: 'created' },
      input.notify,
      {
        action: 'status_maintenance.create',
        after: { title: row.title, scheduledFor, scheduledUntil },
      },
    );
  }

  /** Moves a maintenance by hand (start early, verify, complete) with a public update. */
  async updateMaintenance(
    actor: Actor,
    pageId: string,
    eventId: string,
    raw: MaintenanceUpdateInput,
  ): Promise<StatusEvent> {
    const page = await this.writablePage(actor, pageId);
    const before = await selectEvent(this.deps.db, pageId, eventId);
    if (!before || before.kind !== 'maintenance')
      throw notFound('Maintenance', 'STATUS_EVENT_NOT_FOUND');
    const input = parseInput(maintenanceUpdateSchema, raw);
    const now = this.deps.clock.now();
    const until =
      input.scheduledUntil !== undefined
        ? Date.parse(input.scheduledUntil)
        : Number(before.scheduled_until);
    if (input.scheduledUntil !== undefined && until <= Number(before.scheduled_for))
      throw invalid('STATUS_MAINTENANCE_END', 'scheduledUntil', 'must be after scheduledFor');
    // A person keeping it open past its end (an overrun, or reopening it after the timer
    // completed it) takes it over: the timer would otherwise complete it again at once and tell
    // subscribers "completed" while the work goes on. A new end keeps the timer, for that end.
    const overrun =
      input.status !== 'completed' && input.scheduledUntil === undefined && now >= until;
    const autoTransition = input.autoTransition ?? (overrun ? false : before.auto_transition === 1);
    const after = maintenanceMovedTo(
      { ...before, scheduled_until: until, auto_transition: autoTransition ? 1 : 0 },
      input.status,
      now,
    );
    const phase = phaseOf(before.status, input.status);
    return this.writeEvent(
      actor,
      page,
      after,
      false,
      { status: input.status, body: input.body, phase },
      input.notify,
      {
        action: 'status_maintenance.update',
        before: {
          status: before.status,
          scheduledUntil: Number(before.scheduled_until),
          autoTransition: before.auto_transition === 1,
        },
        after: { status: after.status, scheduledUntil: until, autoTransition },
      },
    );
  }

  // ---- the maintenance timer (engine)

  /** When the next maintenance step is due. */
  async nextMaintenanceAt(): Promise<number | undefined> {
    return (await selectNextEventAt(this.deps.db)) ?? undefined;
  }

  /**
   * Takes due maintenance steps: the advance notice, the automatic start at `scheduled_for` and
   * completion at `scheduled_until`, each with its public update and subscriber notices. Each
   * step is claimed with a compare-and-set on `next_at` in its own transaction, so it happens
   * once however many nodes run the engine.
   */
  async advanceMaintenance(now: number, limit = 50): Promise<number> {
    const due = await selectDueEvents(this.deps.db, now, limit);
    let processed = 0;
    for (const before of due) {
      const page = await selectPage(this.deps.db, before.page_id);
      if (!page) continue;
      const step = maintenanceStepAt(before, now);
      const after =
        step.kind === 'notice'
          ? { ...before, notice_sent_at: now, updated_at: now }
          : step.kind === 'none'
            ? before
            : maintenanceMovedTo(before, step.status, now);
      if (step.kind === 'notice' || step.kind === 'none')
        after.next_at = nextMaintenanceStep(after);
      const done = await inTransaction(this.deps.db, async (trx) => {
        const { id: _id, ...patch } = after;
        if (!(await claimEventStep(trx, before.id, Number(before.next_at), patch))) return false;
        if (step.kind === 'move') {
          await insertUpdate(trx, {
            id: newId(),
            event_id: before.id,
            status: step.status,
            body: step.body,
            created_by: null,
            created_at: now,
          });
          await this.runHooks(
            trx,
            page,
            after,
            { status: step.status, body: step.body, phase: step.phase },
            true,
          );
        } else if (step.kind === 'notice') {
          const latest = (await selectUpdates(trx, [before.id])).at(-1);
          await this.runHooks(
            trx,
            page,
            after,
            { status: 'scheduled', body: latest?.body ?? before.title, phase: 'advance' },
            true,
          );
        }
        return true;
      });
      if (done) {
        processed++;
        if (step.kind === 'move') await this.changed(page);
      }
    }
    return processed;
  }

  // ---- public side

  /** The cached public entry for a slug (null: no such page). Serves the last copy on errors. */
  publicEntry(slug: string): Promise<Cached<PublicEntry | null>> {
    return this.cache.get(slug);
  }

  /** Drops every cached page: the next read of each rebuilds first. */
  invalidateAll(): void {
    this.cache.invalidate();
  }

  /**
   * Something a page may derive from changed (an incident, a check, a page on another node):
   * pages are rebuilt in the background on their next read, and custom domains reloaded.
   */
  refreshSoon(): void {
    this.cache.expireAll();
    this.domainsLoadedAt = 0;
  }

  /** Who may see the page: `ok`, `password` (ask for it), or `forbidden` (not from an allowed network). */
  authorize(entry: PublicEntry, client: PublicClient): 'ok' | 'password' | 'forbidden' {
    const { access } = entry;
    if (access.mode === 'public') return 'ok';
    if (access.mode === 'ip') return ipAllowed(client.ip, access.ipAllow) ? 'ok' : 'forbidden';
    if (!access.passwordHash || !client.accessToken) return 'password';
    const want = Buffer.from(pageAccessToken(entry.view.page.id, access.passwordHash));
    const got = Buffer.from(client.accessToken);
    return want.length === got.length && timingSafeEqual(want, got) ? 'ok' : 'password';
  }

  /** Checks a page's password; returns the cookie token, or null when wrong. */
  async unlock(entry: PublicEntry, password: string): Promise<string | null> {
    const hash = entry.access.passwordHash;
    if (!hash || !(await verifyPassword(password, hash))) return null;
    return pageAccessToken(entry.view.page.id, hash);
  }

  /** The page slug served on a custom domain (sync: read by Fastify's URL rewrite). */
  slugForHost(host: string | undefined): string | undefined {
    // Without a public URL, no host is known not to be Tocsin's own: no custom domains.
    if (!host || !this.deps.publicUrl) return undefined;
    if (this.deps.clock.now() - this.domainsLoadedAt > 30_000) void this.refreshDomains();
    return this.domains.get(normalHost(host));
  }

  /** Reloads the custom domain map (on start, after a change, and every 30 s on reads). */
  async refreshDomains(): Promise<void> {
    if (this.domainsLoading) return this.domainsLoading;
    this.domainsLoading = (async () => {
      try {
        const rows = await selectCustomDomains(this.deps.db);
        this.domains = new Map(rows.map((r) => [r.custom_domain!, r.slug]));
        this.domainsLoadedAt = this.deps.clock.now();
      } catch (err) {
        this.deps.logger?.warn({ err }, 'could not load status page domains');
      } finally {
        this.domainsLoading = undefined;
      }
    })();
    return this.domainsLoading;
  }

  private async buildEntry(slug: string): Promise<PublicEntry | null> {
    const db = this.deps.db;
    const page = await selectPageBySlug(db, slug);
    if (!page) return null;
    const now = this.deps.clock.now();
    const since = now - uptimeDays * day;
    const [components, events] = await Promise.all([
      selectComponents(db, page.id),
      selectEvents(db, page.id, { since, limit: 500 }),
    ]);
    const serviceIds = [...new Set(components.flatMap((c) => idsOf(c.service_ids_json)))];
    const checkIds = [...new Set(components.flatMap((c) => idsOf(c.check_ids_json)))];
    const [updates, incidents, checks, checkOutages] = await Promise.all([
      selectUpdates(
        db,
        events.map((e) => e.id),
      ),
      selectIncidentsOfServices(db, serviceIds, since),
      selectCheckStates(db, checkIds),
      selectCheckOutages(db, checkIds, since),
    ]);
    const view = buildPublicView({
      page,
      components,
      events,
      updates,
      incidents,
      checks,
      checkOutages: checkOutages.map((o) => ({
        check_id: o.check_id,
        started_at: Number(o.started_at),
        ended_at: o.ended_at == null ? null : Number(o.ended_at),
      })),
      now,
    });
    return {
      view,
      access: {
        mode: page.access as PageAccess,
        passwordHash: page.password_hash,
        ipAllow: JSON.parse(page.ip_allow_json) as string[],
      },
    };
  }
}

// ---- maintenance steps (pure)

/**
 * A maintenance's next automatic step: the advance notice, then (when automatic) the start at
 * `scheduled_for` and the completion at `scheduled_until`; null when nothing is left to do.
 */
export function nextMaintenanceStep(e: EventRow): number | null {
  if (e.kind !== 'maintenance' || e.status === 'completed') return null;
  const steps: number[] = [];
  if (e.status === 'scheduled' && e.notice_sent_at === null && e.notify_before_ms !== null)
    steps.push(Number(e.scheduled_for) - Number(e.notify_before_ms));
  if (e.auto_transition === 1) {
    if (e.status === 'scheduled') steps.push(Number(e.scheduled_for));
    else steps.push(Number(e.scheduled_until));
  }
  return steps.length ? Math.min(...steps) : null;
}

/** The row after moving a maintenance to `status` at `now` (timer recomputed). */
export function maintenanceMovedTo(e: EventRow, status: string, now: number): EventRow {
  const moved: EventRow = {
    ...e,
    status,
    started_at: status === 'scheduled' ? null : (e.started_at ?? now),
    resolved_at: status === 'completed' ? (e.resolved_at ?? now) : null,
    notice_sent_at: status === 'scheduled' ? e.notice_sent_at : (e.notice_sent_at ?? now),
    updated_at: now,
  };
  moved.next_at = nextMaintenanceStep(moved);
  return moved;
}

/** What a due maintenance timer means at `now`. */
export function maintenanceStepAt(
  e: EventRow,
  now: number,
):
  | { kind: 'notice' }
  | { kind: 'move'; status: string; body: string; phase: 'started' | 'completed' }
  | { kind: 'none' } {
  const auto = e.auto_transition === 1;
  // Past its end (started or not): completed.
  if (auto && e.status !== 'completed' && now >= Number(e.scheduled_until))
    return {
      kind: 'move',
      status: 'completed',
      body: 'The scheduled maintenance has been completed.',
      phase: 'completed',
    };
  if (auto && e.status === 'scheduled' && now >= Number(e.scheduled_for))
    return {
      kind: 'move',
      status: 'in_progress',
      body: 'The scheduled maintenance is in progress.',
      phase: 'started',
    };
  if (
    e.status === 'scheduled' &&
    e.notice_sent_at === null &&
    e.notify_before_ms !== null &&
    now >= Number(e.scheduled_for) - Number(e.notify_before_ms)
  )
    return { kind: 'notice' };
  return { kind: 'none' };
}

function phaseOf(from: string, to: string): 'updated' | 'started' | 'completed' {
  if (to === 'completed') return 'completed';
  if (from === 'scheduled' && to === 'in_progress') return 'started';
  return 'updated';
}
