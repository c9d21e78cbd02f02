import { createHash } from 'node:crypto';
import {
  worstStatus,
  type PublicComponent,
  type PublicEvent,
  type PublicView,
} from '../../domains/statuspages/index.js';

/*
 * The public view in the shapes of Atlassian Statuspage's public API (v2), so widgets and tools
 * written for it read a Tocsin page unchanged: status.json, summary.json, components.json,
 * incidents.json, incidents/unresolved.json, scheduled-maintenances(.json, /upcoming, /active).
 * Times are ISO 8601; component groups become group components with synthetic stable ids.
 */

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

/** A stable id for a component group (Statuspage gives groups ids; ours are names). */
function groupId(pageId: string, name: string): string {
  return createHash('sha256').update(`${pageId}\0${name}`).digest('hex').slice(0, 26);
}

function pageOf(view: PublicView, url: string) {
  return {
    id: view.page.id,
    name: view.page.name,
    url,
    time_zone: view.page.timeZone,
    updated_at: iso(view.page.updatedAt),
  };
}

function componentOf(view: PublicView, c: PublicComponent) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    position: c.position,
    description: c.description || null,
    showcase: true,
    start_date: null,
    group_id: c.group === null ? null : groupId(view.page.id, c.group),
    page_id: view.page.id,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Components with their groups as group components (children list their ids). */
function componentsOf(view: PublicView) {
  const out: Array<Record<string, unknown>> = [];
  const groups = new Map<string, PublicComponent[]>();
  for (const c of view.components) {
    if (c.group !== null) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  }
  const seen = new Set<string>();
  for (const c of view.components) {
    if (c.group !== null && !seen.has(c.group)) {
      seen.add(c.group);
      const members = groups.get(c.group)!;
      out.push({
        id: groupId(view.page.id, c.group),
        name: c.group,
        status: worstStatus(members.map((m) => m.status)),
        created_at: iso(Math.min(...members.map((m) => m.createdAt))),
        updated_at: iso(Math.max(...members.map((m) => m.updatedAt))),
        position: c.position,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: view.page.id,
        group: true,
        only_show_if_degraded: false,
        components: members.map((m) => m.id),
      });
    }
    out.push(componentOf(view, c));
  }
  return out;
}

function eventOf(view: PublicView, ev: PublicEvent, url: string) {
  const byId = new Map(view.components.map((c) => [c.id, c]));
  const monitoring = ev.updates.find((u) => u.status === 'monitoring');
  const base = {
    id: ev.id,
    name: ev.title,
    status: ev.status,
    created_at: iso(ev.createdAt),
    updated_at: iso(ev.updatedAt),
    monitoring_at: iso(monitoring?.createdAt ?? null),
    resolved_at: iso(ev.resolvedAt),
    impact: ev.impact,
    shortlink: `${url}#event-${ev.id}`,
    started_at: iso(ev.startedAt ?? ev.scheduledFor ?? ev.createdAt),
    page_id: view.page.id,
    incident_updates: ev.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: ev.id,
      created_at: iso(u.createdAt),
      updated_at: iso(u.createdAt),
      display_at: iso(u.createdAt),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: ev.components
      .map((c) => byId.get(c.id))
      .filter((c): c is PublicComponent => c !== undefined)
      .map((c) => componentOf(view, c)),
  };
  return ev.kind === 'maintenance'
    ? { ...base, scheduled_for: iso(ev.scheduledFor), scheduled_until: iso(ev.scheduledUntil) }
    : base;
}

/** The documents of the Statuspage v2 API, by path under `/api/v2/`. */
export function statuspageDocument(
  view: PublicView,
  url: string,
  path: string,
): Record<string, unknown> | undefined {
  const page = pageOf(view, url);
  const incidents = (list: PublicEvent[]) => list.map((x) => eventOf(view, x, url));
  const openIncidents = incidents(view.activeIncidents);
  const allIncidents = incidents([...view.activeIncidents, ...view.recentIncidents]);
  const maintActive = incidents(view.activeMaintenances);
  const maintUpcoming = incidents(view.upcomingMaintenances);
  const maintAll = incidents([
    ...view.activeMaintenances,
    ...view.upcomingMaintenances,
    ...view.recentMaintenances,
  ]);
  switch (path) {
    case 'status.json':
      return { page, status: view.status };
    case 'summary.json':
      return {
        page,
        components: componentsOf(view),
        incidents: openIncidents,
        scheduled_maintenances: [...maintActive, ...maintUpcoming],
        status: view.status,
      };
    case 'components.json':
      return { page, components: componentsOf(view) };
    case 'incidents.json':
      return { page, incidents: allIncidents };
    case 'incidents/unresolved.json':
      return { page, incidents: openIncidents };
    case 'scheduled-maintenances.json':
      return { page, scheduled_maintenances: maintAll };
    case 'scheduled-maintenances/upcoming.json':
      return { page, scheduled_maintenances: maintUpcoming };
    case 'scheduled-maintenances/active.json':
      return { page, scheduled_maintenances: maintActive };
    default:
      return undefined;
  }
}

/** The API paths served under `/api/v2/`. */
export const statuspagePaths = [
  'status.json',
  'summary.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
] as const;
