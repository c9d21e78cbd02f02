import escapeHtml from 'escape-html';
import {
  statusLabel,
  type ComponentStatus,
  type PublicComponent,
  type PublicEvent,
  type PublicView,
} from '../../domains/statuspages/index.js';

/*
 * The public status page as server-rendered HTML: no JavaScript needed, one inline stylesheet,
 * semantic headings and lists, text colours that reach WCAG AA (4.5:1) on their background,
 * every state said in words as well as colour, and a layout that reflows on a phone.
 * Everything interpolated goes through `escapeHtml`.
 */

const e = (s: string | null | undefined): string => escapeHtml(s ?? '');

/** Text colours (all ≥ 4.5:1 on white) and bar colours per status. */
const palette: Record<ComponentStatus, { text: string; bar: string }> = {
  operational: { text: '#1a7f37', bar: '#2da44e' },
  under_maintenance: { text: '#0550ae', bar: '#218bff' },
  degraded_performance: { text: '#7d4e00', bar: '#d4a72c' },
  partial_outage: { text: '#bc4c00', bar: '#fb8f44' },
  major_outage: { text: '#a40e26', bar: '#cf222e' },
};

const incidentWords: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

function formatTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

function dateTime(at: number, timeZone: string): string {
  return `<time datetime="${new Date(at).toISOString()}">${e(formatTime(at, timeZone))}</time>`;
}

function eventHtml(ev: PublicEvent, tz: string, level: number): string {
  const h = `h${level}`;
  const affected = ev.components.length
    ? `<p class="muted">Affected: ${ev.components.map((c) => e(c.name)).join(', ')}</p>`
    : '';
  const window =
    ev.scheduledFor !== null && ev.scheduledUntil !== null
      ? `<p class="muted">Scheduled ${dateTime(ev.scheduledFor, tz)} to ${dateTime(ev.scheduledUntil, tz)}</p>`
      : '';
  const updates = ev.updates
    .map(
      (u) =>
        `<li><strong>${e(incidentWords[u.status] ?? u.status)}</strong> — ${e(u.body)}<br><span class="muted">${dateTime(u.createdAt, tz)}</span></li>`,
    )
    .join('');
  return `<article class="event" id="event-${e(ev.id)}"><${h}>${e(ev.title)}</${h}>${window}${affected}<ol class="updates">${updates}</ol></article>`;
}

function barHtml(c: PublicComponent): string {
  const pct = c.uptime.percent;
  const label =
    pct === null ? 'No uptime data yet' : `${pct.toFixed(2)}% uptime over the last 90 days`;
  // One path per status (a sub-path per day) keeps a 90-day bar about a kilobyte; the path's
  // title says how many days had that status, the bar's label gives the percentage.
  const w = 3;
  const gap = 1;
  const byStatus = new Map<ComponentStatus | null, number[]>();
  c.uptime.days.forEach((d, i) => {
    const list = byStatus.get(d.status) ?? [];
    list.push(i);
    byStatus.set(d.status, list);
  });
  const rects = [...byStatus.entries()]
    .map(([status, days]) => {
      const colour = status === null ? '#d0d7de' : palette[status].bar;
      const words = status === null ? 'no data' : statusLabel(status);
      const d = days.map((i) => `M${i * (w + gap)} 0h${w}v24h-${w}z`).join('');
      return `<path fill="${colour}" d="${d}"><title>${e(words)}: ${days.length} day${days.length === 1 ? '' : 's'}</title></path>`;
    })
    .join('');
  const width = c.uptime.days.length * (w + gap) - gap;
  // The days the bar colours, in words, for screen readers.
  const bad = c.uptime.days.filter((d) => d.status !== null && d.status !== 'operational');
  const words = bad.length
    ? `<p class="sr-only">Days with problems: ${bad.map((d) => `${e(d.date)} ${e(statusLabel(d.status!).toLowerCase())}`).join('; ')}.</p>`
    : '';
  return `<div class="bar"><svg role="img" aria-label="${e(label)}" viewBox="0 0 ${width} 24" preserveAspectRatio="none" focusable="false">${rects}</svg>${words}<p class="muted bar-legend"><span>90 days ago</span><span>${e(label)}</span><span>Today</span></p></div>`;
}

function componentHtml(c: PublicComponent): string {
  const colour = palette[c.status].text;
  const desc = c.description ? `<p class="muted">${e(c.description)}</p>` : '';
  return `<li class="component"><div class="component-head"><span class="name">${e(c.name)}</span><span class="status" style="color:${colour}">${e(statusLabel(c.status))}</span></div>${desc}${barHtml(c)}</li>`;
}

function groupsHtml(view: PublicView): string {
  const groups = new Map<string | null, PublicComponent[]>();
  for (const c of view.components) {
    const list = groups.get(c.group) ?? [];
    list.push(c);
    groups.set(c.group, list);
  }
  return [...groups.entries()]
    .map(([name, list]) => {
      const items = `<ul class="components">${list.map((c) => componentHtml(c)).join('')}</ul>`;
      return name === null
        ? items
        : `<section class="group" aria-labelledby="g-${e(list[0]!.id)}"><h3 id="g-${e(list[0]!.id)}">${e(name)}</h3>${items}</section>`;
    })
    .join('');
}

const bannerColour: Record<string, string> = {
  none: '#1a7f37',
  minor: '#7d4e00',
  major: '#bc4c00',
  critical: '#a40e26',
  maintenance: '#0550ae',
};

/** Options for rendering a page. */
export interface RenderOptions {
  /** Where the page lives ('' on a custom domain, `/status/<slug>` otherwise). */
  basePath: string;
  /** A message after a subscribe / confirm / unsubscribe form (already known to be safe text). */
  notice?: string;
  /** Subscribing by email is offered. */
  emailSubscriptions: boolean;
}

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0550ae}header{color:#fff;padding:1.25rem 1rem}header .wrap{display:flex;align-items:center;gap:.75rem}
header img{max-height:40px;max-width:160px}header h1{margin:0;font-size:1.5rem}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}main{padding:1rem 0 2rem}
.overall{color:#fff;border-radius:6px;padding:1rem;margin:1rem 0;font-size:1.25rem;font-weight:600}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:1rem 0}
section section{border:0;padding:0;margin:1rem 0 0}h2{font-size:1.25rem;margin:0 0 .5rem}h3{font-size:1.05rem;margin:.5rem 0}
.components{list-style:none;margin:0;padding:0}.component{padding:.75rem 0;border-top:1px solid #eaeef2}.component:first-child{border-top:0}
.component-head{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem}.name{font-weight:600}.status{font-weight:600}
.bar svg{width:100%;height:28px;display:block;margin-top:.25rem}.bar-legend{display:flex;justify-content:space-between;gap:.5rem;font-size:.8rem;margin:0}
.muted{color:#57606a;margin:.25rem 0}.updates{padding-left:1.1rem}.updates li{margin:.5rem 0}.event{border-top:1px solid #eaeef2;padding-top:.5rem}.event:first-of-type{border-top:0}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}label{display:block;font-weight:600}
input{font:inherit;padding:.5rem;border:1px solid #6e7781;border-radius:6px;min-width:16rem;max-width:100%}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:6px;background:#0550ae;color:#fff;cursor:pointer}
.notice{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:.75rem;margin:1rem 0}
footer{color:#57606a;font-size:.875rem;padding:1rem 0 2rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media (max-width:40rem){header h1{font-size:1.2rem}.overall{font-size:1.05rem}}
`;

function shell(view: PublicView, title: string, body: string, basePath: string): string {
  const p = view.page;
  const logo = p.logoUrl ? `<img src="${e(p.logoUrl)}" alt="${e(p.name)} logo">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><meta name="description" content="${e(p.description || `Status of ${p.name}`)}"><link rel="alternate" type="application/atom+xml" title="${e(p.name)} status (Atom)" href="${e(basePath)}/history.atom"><link rel="alternate" type="application/rss+xml" title="${e(p.name)} status (RSS)" href="${e(basePath)}/history.rss"><style>${css}</style></head><body><header style="background:${e(p.brandColor)}"><div class="wrap">${logo}<h1>${e(p.name)}</h1></div></header><main class="wrap" id="main">${body}</main><footer class="wrap">Times shown in ${e(p.timeZone)}. <a href="${e(basePath)}/history.atom">Atom</a> · <a href="${e(basePath)}/history.rss">RSS</a> · <a href="${e(basePath)}/api/v2/summary.json">JSON API</a> · Powered by Tocsin</footer></body></html>`;
}

/** The public status page. */
export function renderStatusPage(view: PublicView, options: RenderOptions): string {
  const tz = view.page.timeZone;
  const parts: string[] = [];
  if (options.notice) parts.push(`<p class="notice" role="status">${e(options.notice)}</p>`);
  parts.push(
    `<p class="overall" role="status" style="background:${bannerColour[view.status.indicator] ?? '#1a7f37'}">${e(view.status.description)}</p>`,
  );
  if (view.page.description) parts.push(`<p>${e(view.page.description)}</p>`);
  if (view.activeIncidents.length)
    parts.push(
      `<section aria-labelledby="active"><h2 id="active">Current incidents</h2>${view.activeIncidents.map((x) => eventHtml(x, tz, 3)).join('')}</section>`,
    );
  if (view.activeMaintenances.length)
    parts.push(
      `<section aria-labelledby="maint-now"><h2 id="maint-now">Maintenance in progress</h2>${view.activeMaintenances.map((x) => eventHtml(x, tz, 3)).join('')}</section>`,
    );
  parts.push(
    `<section aria-labelledby="components"><h2 id="components">Components</h2>${view.components.length ? groupsHtml(view) : '<p class="muted">No components yet.</p>'}</section>`,
  );
  if (view.upcomingMaintenances.length)
    parts.push(
      `<section aria-labelledby="maint-next"><h2 id="maint-next">Scheduled maintenance</h2>${view.upcomingMaintenances.map((x) => eventHtml(x, tz, 3)).join('')}</section>`,
    );
  const past = [...view.recentIncidents, ...view.recentMaintenances].sort(
    (a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0),
  );
  parts.push(
    `<section aria-labelledby="past"><h2 id="past">Past 14 days</h2>${past.length ? past.map((x) => eventHtml(x, tz, 3)).join('') : '<p class="muted">No incidents reported.</p>'}</section>`,
  );
  if (options.emailSubscriptions)
    parts.push(
      `<section aria-labelledby="subscribe"><h2 id="subscribe">Get updates</h2><form method="post" action="${e(options.basePath)}/subscribe"><div><label for="sub-email">Email address</label><input id="sub-email" name="email" type="email" required autocomplete="email"></div><button type="submit">Subscribe</button></form><p class="muted">We send a confirmation link first. Or follow the <a href="${e(options.basePath)}/history.atom">Atom</a> or <a href="${e(options.basePath)}/history.rss">RSS</a> feed.</p></section>`,
    );
  return shell(
    view,
    `${view.page.name.replace(/ status$/i, '')} status`,
    parts.join(''),
    options.basePath,
  );
}

/** The password form of a private page (says nothing about the page but its name). */
export function renderPasswordPage(name: string, basePath: string, wrong: boolean): string {
  const error = wrong ? '<p class="notice" role="alert">That password is not right.</p>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(name)} status — sign in</title><style>${css}</style></head><body><main class="wrap" id="main"><h1>${e(name)} status</h1>${error}<section aria-labelledby="pw"><h2 id="pw">This status page is private</h2><form method="post" action="${e(basePath)}/login"><div><label for="pw-input">Password</label><input id="pw-input" name="password" type="password" required autocomplete="current-password"></div><button type="submit">View status</button></form></section></main></body></html>`;
}

/** A small page for 403/404 and subscription outcomes. */
export function renderMessagePage(title: string, message: string, backHref?: string): string {
  const back = backHref ? `<p><a href="${e(backHref)}">Back to the status page</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${css}</style></head><body><main class="wrap" id="main"><h1>${e(title)}</h1><p>${e(message)}</p>${back}</main></body></html>`;
}

/** Asks before unsubscribing (a GET never acts: mail scanners follow links). */
export function renderUnsubscribePage(pageName: string, address: string, action: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Unsubscribe from ${e(pageName)} status</title><style>${css}</style></head><body><main class="wrap" id="main"><h1>Unsubscribe from ${e(pageName)} status</h1><p>Stop sending status updates to ${e(address)}?</p><form method="post" action="${e(action)}"><button type="submit">Unsubscribe</button></form></main></body></html>`;
}

/**
 * Asks before confirming a subscription: a GET never acts, since mail scanners and link
 * previews open links, and a GET that confirmed would confirm addresses someone else entered.
 * It says what the button confirms, so an unexpected change of components is seen first.
 */
export function renderConfirmPage(
  pageName: string,
  address: string,
  components: string[] | null,
  action: string,
): string {
  const what =
    components === null
      ? 'all components'
      : components.length
        ? components.map((c) => e(c)).join(', ')
        : 'no components that still exist';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Confirm your ${e(pageName)} status subscription</title><style>${css}</style></head><body><main class="wrap" id="main"><h1>Confirm your ${e(pageName)} status subscription</h1><p>Send status updates about ${what} to ${e(address)}?</p><form method="post" action="${e(action)}"><button type="submit">Confirm subscription</button></form><p class="muted">If you did not ask for this, close this page and nothing will be sent.</p></main></body></html>`;
}
