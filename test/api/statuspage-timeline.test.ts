import type { AddressInfo } from 'node:net';
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

// A status-page post linked to an incident is on that incident's timeline (what customers were
// told, on which page, when and by whom), written in the post's own transaction, so the
// incident's page and its live stream show it like any other step.

const system = systemActor('test');
const minute = 60_000;

describeEachStore('status-page posts on the incident timeline', (kind) => {
  let app: TestApp;
  let ada: Member;
  let incidentId: string;
  let pageId: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    const teamId = (await createTeam(app, 'Web')).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    const serviceId = (
      await app.services.services.create(system, { teamId, name: 'Checkout', description: '' })
    ).id;
    incidentId = (
      await ok('POST', '/api/incidents', {
        title: 'Checkout errors',
        severity: 'SEV2',
        serviceIds: [serviceId],
      })
    ).id as string;
    pageId = (await ok('POST', '/api/status-pages', { teamId, slug: 'acme', name: 'Acme status' }))
      .id as string;
  });
  afterEach(async () => {
    await app.close();
  });

  async function ok(method: ApiMethod, url: string, payload?: object) {
    const res = await requestAs(app, ada.session, method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Record<string, unknown>;
  }

  const statusEntries = async () =>
    (
      (await ok('GET', `/api/incidents/${incidentId}/timeline?kind=statuspage.*`)).items as Array<{
        at: number;
        kind: string;
        actorName: string;
        message: string;
        data: Record<string, unknown>;
      }>
    ).map((t) => ({
      at: new Date(t.at).toISOString(),
      kind: t.kind,
      actorName: t.actorName,
      message: t.message,
      status: t.data.status,
      pageName: t.data.pageName,
    }));

  it('records the post, each update and the resolution, with page, status and text', async () => {
    const post = await ok('POST', `/api/status-pages/${pageId}/incidents`, {
      title: 'Checkout failures',
      body: 'Some payments fail; we are looking into it.',
      incidentId,
    });
    app.clock.fastForward(10 * minute);
    await ok('POST', `/api/status-pages/${pageId}/incidents/${post.id as string}/updates`, {
      status: 'identified',
      body: 'A bad deploy; rolling back.',
    });
    app.clock.fastForward(20 * minute);
    await ok('POST', `/api/status-pages/${pageId}/incidents/${post.id as string}/updates`, {
      status: 'resolved',
      body: 'Payments work again.',
    });
    // A post linked to no incident, and maintenance, are on no incident's timeline.
    await ok('POST', `/api/status-pages/${pageId}/incidents`, { title: 'Other', body: 'Other' });

    expect(await statusEntries()).toEqual([
      {
        at: '2026-03-10T10:00:00.000Z',
        kind: 'statuspage.posted',
        actorName: 'Ada',
        message:
          'Posted on status page Acme status (investigating): Checkout failures: Some payments fail; we are looking into it.',
        status: 'investigating',
        pageName: 'Acme status',
      },
      {
        at: '2026-03-10T10:10:00.000Z',
        kind: 'statuspage.updated',
        actorName: 'Ada',
        message: 'Status page Acme status updated (identified): A bad deploy; rolling back.',
        status: 'identified',
        pageName: 'Acme status',
      },
      {
        at: '2026-03-10T10:30:00.000Z',
        kind: 'statuspage.updated',
        actorName: 'Ada',
        message: 'Status page Acme status updated (resolved): Payments work again.',
        status: 'resolved',
        pageName: 'Acme status',
      },
    ]);
  });

  it('moves the incident’s live stream when a linked post is made', async () => {
    await app.http!.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.http!.server.address() as AddressInfo;
    const abort = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/incidents/${incidentId}/live`, {
        headers: { cookie: ada.session.cookie },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      expect(decoder.decode((await reader.read()).value)).toContain('event: hello');
      await ok('POST', `/api/status-pages/${pageId}/incidents`, {
        title: 'Checkout failures',
        body: 'Investigating.',
        incidentId,
      });
      // The stream polls once a second; give up after five.
      const giveUp = setTimeout(() => abort.abort(), 5000);
      let text = '';
      try {
        while (!text.includes('event: change')) {
          const chunk = await reader.read();
          if (chunk.done) break;
          text += decoder.decode(chunk.value);
        }
      } catch {
        // aborted: no change came
      } finally {
        clearTimeout(giveUp);
      }
      expect(text).toContain('event: change');
    } finally {
      abort.abort();
    }
  });

  it('writes the entry in the post’s transaction: a post that fails leaves none', async () => {
    app.services.statusPages.onEvent(async () => {
      throw new Error('the notice could not be queued');
    });
    const res = await requestAs(app, ada.session, 'POST', `/api/status-pages/${pageId}/incidents`, {
      title: 'Checkout failures',
      body: 'Investigating.',
      incidentId,
    });
    expect(res.statusCode).toBe(500);
    expect(await statusEntries()).toEqual([]);
    expect((await ok('GET', `/api/status-pages/${pageId}/incidents`)).items).toEqual([]);
  });
});
