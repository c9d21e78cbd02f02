import escapeHtml from 'escape-html';
import { Feed } from 'feed';
import type { PublicEvent, PublicView } from '../../domains/statuspages/index.js';

/*
 * Atom and RSS feeds of a page: one entry per public update (incidents and maintenance), newest
 * first, from the same public view as the page, through the `feed` package.
 *
 * Titles and updates are plain text as their authors typed them ("p99 <500ms"). The package
 * declares entry titles and summaries HTML (Atom `type="html"`, RSS descriptions, which readers
 * render as HTML, and RSS titles, which many do), so they go in HTML-escaped, line breaks as
 * `<br>`: shown as typed, and any markup in them inert.
 */

/** Plain text as the HTML the feed fields hold. */
const asHtml = (text: string): string => escapeHtml(text).replace(/\r?\n/g, '<br>');

const words: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

function buildFeed(view: PublicView, url: string): Feed {
  const feed = new Feed({
    id: url,
    title: `${view.page.name} status`,
    description: view.page.description || `Incidents and maintenance for ${view.page.name}`,
    link: url,
    updated: new Date(view.page.updatedAt),
    generator: 'Tocsin',
    feedLinks: { atom: `${url}/history.atom`, rss: `${url}/history.rss` },
    copyright: view.page.name,
  });
  const events: PublicEvent[] = [
    ...view.activeIncidents,
    ...view.activeMaintenances,
    ...view.upcomingMaintenances,
    ...view.recentIncidents,
    ...view.recentMaintenances,
  ];
  const entries = events
    .flatMap((ev) => ev.updates.map((u) => ({ ev, u })))
    .sort((a, b) => b.u.createdAt - a.u.createdAt)
    .slice(0, 100);
  for (const { ev, u } of entries) {
    const affected = ev.components.map((c) => c.name).join(', ');
    feed.addItem({
      title: asHtml(`${ev.title}: ${words[u.status] ?? u.status}`),
      id: `${url}#update-${u.id}`,
      link: `${url}#event-${ev.id}`,
      date: new Date(u.createdAt),
      description: asHtml(affected ? `${u.body}\n\nAffected: ${affected}` : u.body),
    });
  }
  return feed;
}

/** The page's Atom 1.0 feed. */
export function atomFeed(view: PublicView, url: string): string {
  return buildFeed(view, url).atom1();
}

/** The page's RSS 2.0 feed. */
export function rssFeed(view: PublicView, url: string): string {
  return buildFeed(view, url).rss2();
}
