import type { PublicEvent, PublicView } from '../../domains/statuspages/index.js';

/*
 * The in-app banner: a script a customer's app includes with
 * `<script src="https://status.example.com/embed.js" async></script>`. It carries the page's
 * current incidents and maintenance in itself (no second request, no CORS), and while one is
 * active it puts a dismissible banner at the top of the page linking to the status page. With
 * nothing active it does nothing. The text is set with textContent, never as HTML.
 */

/**
 * How bad an active item is: a major outage (critical impact) over a partial one (major), over
 * degraded performance (minor), over maintenance, over an incident said to have no impact.
 */
const severity: Record<PublicEvent['impact'], number> = {
  critical: 4,
  major: 3,
  minor: 2,
  maintenance: 1,
  none: 0,
};

/**
 * The active items in the order the banner names them: the worst first (one line must say what
 * matters most, not what happened last), the newest first among equals.
 */
export function bannerOrder(events: readonly PublicEvent[]): PublicEvent[] {
  return [...events].sort(
    (a, b) => severity[b.impact] - severity[a.impact] || b.createdAt - a.createdAt,
  );
}

/** The embed script for a view. */
export function embedScript(view: PublicView, url: string): string {
  const active = bannerOrder([...view.activeIncidents, ...view.activeMaintenances]).map((ev) => ({
    id: ev.id,
    kind: ev.kind,
    title: ev.title,
    status: ev.status,
    impact: ev.impact,
  }));
  const data = {
    url,
    name: view.page.name,
    indicator: view.status.indicator,
    description: view.status.description,
    active,
  };
  // JSON in a script: escape what could close the tag or break the line.
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `/* Tocsin status banner */
(function () {
  var d = ${json};
  if (!d.active.length || typeof document === 'undefined') return;
  var key = 'tocsin-banner-dismissed:' + d.active.map(function (a) { return a.id + a.status; }).join(',');
  try { if (window.sessionStorage && sessionStorage.getItem(key)) return; } catch (e) {}
  function show() {
    if (document.getElementById('tocsin-status-banner')) return;
    var a = d.active[0]; // the worst (see bannerOrder)
    var bar = document.createElement('div');
    bar.id = 'tocsin-status-banner';
    bar.setAttribute('role', 'status');
    var bg = a.kind === 'maintenance' ? '#0550ae' : (a.impact === 'critical' || a.impact === 'major') ? '#a40e26' : '#7d4e00';
    bar.style.cssText = 'position:relative;z-index:2147483647;background:' + bg + ';color:#fff;font:14px/1.4 system-ui,sans-serif;padding:8px 40px 8px 12px;text-align:center';
    var text = document.createElement('span');
    text.textContent = (a.kind === 'maintenance' ? 'Maintenance: ' : '') + a.title + (d.active.length > 1 ? ' (+' + (d.active.length - 1) + ' more)' : '') + ' — ';
    var link = document.createElement('a');
    link.href = d.url;
    link.textContent = 'View ' + d.name + ' status';
    link.style.cssText = 'color:#fff;text-decoration:underline';
    var close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss status banner');
    close.textContent = '\\u00d7';
    close.style.cssText = 'position:absolute;right:8px;top:4px;background:none;border:0;color:#fff;font-size:20px;cursor:pointer';
    close.onclick = function () {
      bar.parentNode && bar.parentNode.removeChild(bar);
      try { sessionStorage.setItem(key, '1'); } catch (e) {}
    };
    bar.appendChild(text);
    bar.appendChild(link);
    bar.appendChild(close);
    document.body.insertBefore(bar, document.body.firstChild);
  }
  if (document.body) show();
  else document.addEventListener('DOMContentLoaded', show);
})();
`;
}
