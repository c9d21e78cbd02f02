import {
  componentStatus,
  overallStatus,
  statusOfImpact,
  statusOfIncident,
  dayBoundaries,
  uptimeBar,
  type ComponentStatus,
  type Impact,
  type Indicator,
  type StatusSpan,
  type UptimeBar,
} from './statuspage.js';
import type { ComponentRow, EventRow, PageRow, UpdateRow } from './statuspages.store.js';

/*
 * The public view: the one object every public response (HTML, Statuspage JSON, feeds, embed
 * script) is rendered from. Every field is copied here by name from what may be shown; internal
 * rows (incidents, services, checks, the internal incident a public one links to, access
 * settings) go in and never come out. The no-leak test holds this file to that.
 */

/** A component as the public sees it. */
export interface PublicComponent {
  id: string;
  name: string;
  description: string;
  group: string | null;
  position: number;
  status: ComponentStatus;
  createdAt: number;
  updatedAt: number;
  uptime: UptimeBar;
}

/** A public update. */
export interface PublicUpdate {
  id: string;
  status: string;
  body: string;
  createdAt: number;
}

/** A public incident or maintenance. */
export interface PublicEvent {
  id: string;
  kind: 'incident' | 'maintenance';
  title: string;
  status: string;
  impact: Impact | 'maintenance';
  components: Array<{ id: string; name: string }>;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  resolvedAt: number | null;
  scheduledFor: number | null;
  scheduledUntil: number | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

/** Everything a public page shows. */
export interface PublicView {
  page: {
    id: string;
    slug: string;
    name: string;
    description: string;
    logoUrl: string | null;
    brandColor: string;
    timeZone: string;
    updatedAt: number;
  };
  status: { indicator: Indicator; description: string };
  components: PublicComponent[];
  /** Open public incidents, newest first. */
  activeIncidents: PublicEvent[];
  /** Incidents resolved in the last 14 days, newest first. */
  recentIncidents: PublicEvent[];
  /** Maintenance in progress or verifying. */
  activeMaintenances: PublicEvent[];
  /** Maintenance not started yet, soonest first. */
  upcomingMaintenances: PublicEvent[];
  /** Completed maintenance in the last 14 days. */
  recentMaintenances: PublicEvent[];
  builtAt: number;
}

/** Internal facts the view is computed from (read by the service; never copied out whole). */
export interface ViewInputs {
  page: PageRow;
  components: ComponentRow[];
  events: EventRow[];
  updates: UpdateRow[];
  incidents: Array<{
    service_id: string;
    status: string;
    severity: string | null;
    created_at: number;
    resolved_at: number | null;
    mitigated_at: number | null;
  }>;
  checks: Array<{ id: string; state: string; enabled: number }>;
  checkOutages: Array<{ check_id: string; started_at: number; ended_at: number | null }>;
  now: number;
}

const day = 86_400_000;
/** Days in an uptime bar. */
export const uptimeDays = 90;
const recentMs = 14 * day;

const ids = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/** Builds the public view from the page's rows and what its components link to. */
export function buildPublicView(input: ViewInputs): PublicView {
  const { page, now } = input;
  const componentNames = new Map(input.components.map((c) => [c.id, c.name]));
  const updatesByEvent = new Map<string, PublicUpdate[]>();
  for (const u of input.updates) {
    const list = updatesByEvent.get(u.event_id) ?? [];
    list.unshift({ id: u.id, status: u.status, body: u.body, createdAt: Number(u.created_at) });
    updatesByEvent.set(u.event_id, list);
  }
  const events = input.events.map((e): PublicEvent & { componentIds: string[] } => {
    const componentIds = ids(e.component_ids_json);
    return {
      id: e.id,
      kind: e.kind === 'maintenance' ? 'maintenance' : 'incident',
      title: e.title,
      status: e.status,
      impact: e.kind === 'maintenance' ? 'maintenance' : (e.impact as Impact),
      components: componentIds
        .filter((id) => componentNames.has(id))
        .map((id) => ({ id, name: componentNames.get(id)! })),
      componentIds,
      createdAt: Number(e.created_at),
      updatedAt: Number(e.updated_at),
      startedAt: e.started_at == null ? null : Number(e.started_at),
      resolvedAt: e.resolved_at == null ? null : Number(e.resolved_at),
      scheduledFor: e.scheduled_for == null ? null : Number(e.scheduled_for),
      scheduledUntil: e.scheduled_until == null ? null : Number(e.scheduled_until),
      updates: updatesByEvent.get(e.id) ?? [],
    };
  });
  const openIncidents = events.filter((e) => e.kind === 'incident' && e.resolvedAt === null);
  const activeMaint = events.filter(
    (e) => e.kind === 'maintenance' && (e.status === 'in_progress' || e.status === 'verifying'),
  );

  const checkById = new Map(input.checks.map((c) => [c.id, c]));
  const since = now - uptimeDays * day;
  const bounds = dayBoundaries(now, page.time_zone, uptimeDays);
  const components = input.components.map((c): PublicComponent => {
    const serviceIds = new Set(ids(c.service_ids_json));
    const checkIds = ids(c.check_ids_json).filter((id) => checkById.has(id));
    const incidents = input.incidents.filter((i) => serviceIds.has(i.service_id));
    const spans: StatusSpan[] = [];
    for (const i of incidents) {
      const worst = statusOfIncident({ status: 'triggered', severity: i.severity });
      const calmer = i.mitigated_at ?? i.resolved_at;
      spans.push({ from: i.created_at, to: calmer, status: worst });
      if (i.mitigated_at !== null)
        spans.push({ from: i.mitigated_at, to: i.resolved_at, status: 'degraded_performance' });
    }
    for (const o of input.checkOutages) {
      if (checkIds.includes(o.check_id))
        spans.push({
          from: o.started_at,
          to: o.ended_at,
          status: checkIds.length > 1 ? 'partial_outage' : 'major_outage',
        });
    }
    for (const e of events) {
      if (!e.componentIds.includes(c.id)) continue;
      if (e.kind === 'incident' && e.impact !== 'maintenance' && e.impact !== 'none')
        spans.push({ from: e.createdAt, to: e.resolvedAt, status: statusOfImpact(e.impact) });
      if (e.kind === 'maintenance' && e.startedAt !== null)
        spans.push({ from: e.startedAt, to: e.resolvedAt, status: 'under_maintenance' });
    }
    const status = componentStatus({
      manualStatus: (c.manual_status as ComponentStatus | null) ?? null,
      inMaintenance: activeMaint.some((m) => m.componentIds.includes(c.id)),
      incidents: incidents.filter((i) => i.resolved_at === null),
      checkStates: checkIds
        .map((id) => checkById.get(id)!)
        .filter((x) => x.enabled === 1)
        .map((x) => x.state),
      publicImpacts: openIncidents
        .filter((e) => e.componentIds.includes(c.id))
        .map((e) => e.impact as Impact),
    });
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      group: c.group_name,
      position: c.position,
      status,
      createdAt: Number(c.created_at),
      updatedAt: Number(c.updated_at),
      uptime: uptimeBar(spans, { now, bounds, since: Math.max(Number(c.created_at), since) }),
    };
  });

  const strip = ({ componentIds: _ignored, ...e }: PublicEvent & { componentIds: string[] }) => e;
  const maint = events.filter((e) => e.kind === 'maintenance');
  return {
    page: {
      id: page.id,
      slug: page.slug,
      name: page.name,
      description: page.description,
      logoUrl: page.logo_url,
      brandColor: page.brand_color,
      timeZone: page.time_zone,
      updatedAt: Math.max(
        Number(page.updated_at),
        ...input.components.map((c) => Number(c.updated_at)),
        ...events.map((e) => e.updatedAt),
      ),
    },
    status: overallStatus(
      components.map((c) => c.status),
      openIncidents.map((e) => e.impact as Impact),
    ),
    components,
    activeIncidents: openIncidents.map(strip),
    recentIncidents: events
      .filter(
        (e) => e.kind === 'incident' && e.resolvedAt !== null && e.resolvedAt >= now - recentMs,
      )
      .map(strip),
    activeMaintenances: activeMaint.map(strip),
    upcomingMaintenances: maint
      .filter((e) => e.status === 'scheduled')
      .sort((a, b) => (a.scheduledFor ?? 0) - (b.scheduledFor ?? 0))
      .map(strip),
    recentMaintenances: maint
      .filter((e) => e.status === 'completed' && (e.resolvedAt ?? 0) >= now - recentMs)
      .map(strip),
    builtAt: now,
  };
}
