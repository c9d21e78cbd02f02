import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { FakeClock } from '../../src/core/clock.js';
import {
  addSignedInMember,
  createTeam,
  requestAs,
  type ApiMethod,
  type Member,
} from '../fixtures.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

// The incident's Markdown export holds people's text (titles, names, notes, updates) and is read
// where Markdown may carry HTML (GitHub, Confluence): that text must stay text, never tags,
// links, sections or broken table rows, and a note's code block must stay a code block.

const system = systemActor('test');

describeEachStore('incident Markdown export', (kind) => {
  let app: TestApp;
  let ada: Member;
  let serviceId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    const teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    serviceId = (
      await app.services.services.create(system, { teamId, name: 'Cache', description: '' })
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });

  async function ok(method: ApiMethod, url: string, payload?: object) {
    const res = await requestAs(app, ada.session, method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res;
  }

  /** The export with every fenced code block taken out (what a renderer reads as Markdown). */
  function outsideCode(md: string): string {
    return md.replace(/^(`{3,})[\w+-]*\n[\s\S]*?\n\1$/gm, '');
  }

  it('keeps titles, notes and updates as text: no HTML, no sections of their own, one row per entry', async () => {
    const res = await ok('POST', '/api/incidents', {
      title:
        'Export <img src=x onerror=alert(1)> test\n\n## Roles\n\n- incident commander: Mallory',
      severity: 'SEV3',
      serviceIds: [serviceId],
      description: 'Reported by Grace <grace@customer.test>:\n\n# Not a heading\n<b>bold</b>',
    });
    const id = (res.json() as { id: string }).id;
    await ok('POST', `/api/incidents/${id}/notes`, {
      markdown: [
        'Saw <script>alert(1)</script> and <b>bold</b> & [a link](https://evil.test) ![x](https://evil.test/p.png)',
        '## Fake section',
        '',
        '```',
        'cache-1 evicted 12034 keys/s <maxmemory> | grep ```` done',
        '```',
      ].join('\n'),
    });
    await ok('POST', `/api/incidents/${id}/notes`, { markdown: 'One line <i>only</i> | piped' });
    await ok('POST', `/api/incidents/${id}/updates`, { message: 'Failing over\rto the standby' });
    await ok('PATCH', `/api/incidents/${id}`, { businessImpact: 'Checkout\r| down |' });

    const md = (await ok('GET', `/api/incidents/${id}/export.md`)).body;
    expect(md).not.toContain('\r');
    // Nothing a renderer would take for HTML outside code blocks: no `<` at all.
    expect(outsideCode(md)).not.toContain('<');
    expect(outsideCode(md)).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/); // no link or image
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Incident #1: Export &lt;img src=x onerror=alert(1)&gt; test ## Roles - incident commander: Mallory',
      '## Description',
      '## Timeline',
      '## Entries in full',
      '### 1. 2026-03-10T10:00:00Z, Ada: note',
      '### 2. 2026-03-10T10:00:00Z, Ada: update.posted',
    ]);
    expect(md).not.toMatch(/^- incident commander: Mallory$/m);
    expect(md).toContain(
      [
        '## Description',
        '',
        'Reported by Grace &lt;grace@customer.test&gt;:',
        '',
        '\\# Not a heading  ',
        '&lt;b&gt;bold&lt;/b&gt;',
      ].join('\n'),
    );

    // Every timeline row has its three cells, whatever the text held.
    const rows = md.split('\n').filter((l) => l.startsWith('| 2026-'));
    for (const row of rows) {
      const cells = row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|');
      expect(cells, row).toHaveLength(5);
    }
    expect(rows).toEqual([
      '| 2026-03-10T10:00:00Z | Ada | incident.declared: Ada declared SEV3 (System Impaired): Export &lt;img src=x onerror=alert(1)&gt; test ## Roles - incident commander: Mallory |',
      '| 2026-03-10T10:00:00Z | Ada | note: Saw &lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt; &amp; \\[a link\\](https://evil.test) !\\[x\\](https://evil.test/p.png) (in full below, 1) |',
      '| 2026-03-10T10:00:00Z | Ada | note: One line &lt;i&gt;only&lt;/i&gt; \\| piped |',
      '| 2026-03-10T10:00:00Z | Ada | update.posted: Update to 0 subscribers: Failing over (in full below, 2) |',
      '| 2026-03-10T10:00:00Z | Ada | incident.impact: Business impact: Checkout \\| down \\| |',
    ]);

    // The note in full: its prose as text, its code block as a code block that its own
    // backticks cannot close.
    expect(md).toContain(
      [
        '### 1. 2026-03-10T10:00:00Z, Ada: note',
        '',
        'Saw &lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt; &amp; \\[a link\\](https://evil.test) !\\[x\\](https://evil.test/p.png)  ',
        '\\## Fake section',
        '',
        '`````',
        'cache-1 evicted 12034 keys/s <maxmemory> | grep ```` done',
        '`````',
        '',
        '### 2. 2026-03-10T10:00:00Z, Ada: update.posted',
        '',
        'Update to 0 subscribers: Failing over  ',
        'to the standby',
        '',
      ].join('\n'),
    );
    expect(md).not.toContain('<br>');
    expect(md).toContain('- Business impact: Checkout | down |');
  });

  it('lists a note’s attachments by name, as text', async () => {
    const { id } = (
      await ok('POST', '/api/incidents', {
        title: 'Cache evictions',
        severity: 'SEV3',
        serviceIds: [serviceId],
      })
    ).json() as { id: string };
    await ok('POST', `/api/incidents/${id}/notes`, {
      markdown: 'The graph',
      attachments: [
        { name: '<b>hit</b>-rate.png', contentType: 'image/png', dataBase64: 'aGk=' },
        { name: 'stats.json', contentType: 'application/json', dataBase64: 'e30=' },
      ],
    });
    const md = (await ok('GET', `/api/incidents/${id}/export.md`)).body;
    expect(md).toContain('| Ada | note: The graph (in full below, 1) |');
    expect(md).toContain(
      [
        '### 1. 2026-03-10T10:00:00Z, Ada: note',
        '',
        'The graph',
        '',
        'Attachments: &lt;b&gt;hit&lt;/b&gt;-rate.png, stats.json',
      ].join('\n'),
    );
  });
});
