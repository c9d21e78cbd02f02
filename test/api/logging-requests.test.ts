import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { createLogger } from '../../src/core/logger.js';
import { createTestApp, describeEachStore, type TestApp } from '../harness.js';

/*
 * What the HTTP layer logs: a failed request's line names the request id (also in the 500
 * body), method, route pattern and status, never an integration key from the URL; request ids
 * are unique (not a per-process counter); at debug, one access line per request.
 */

const system = systemActor('test');

describeEachStore('logging: requests', (kind) => {
  let app: TestApp;
  let lines: Array<Record<string, unknown>>;
  let raw: string[];

  async function setup(level: string) {
    lines = [];
    raw = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw.push(chunk.toString());
        for (const l of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    app = await createTestApp(kind, { logger: createLogger({ level, destination: sink }) });
  }
  afterEach(async () => {
    await app.close();
  });

  async function alertmanagerKey(): Promise<string> {
    const team = await app.services.teams.create(system, { name: 'T', description: '' });
    const service = await app.services.services.create(system, {
      teamId: team.id,
      name: 'S',
      description: '',
    });
    return (
      await app.services.integrations.create(system, service.id, {
        type: 'alertmanager',
        config: {},
      })
    ).key;
  }

  describe_('at info', 'info', () => {
    it('a 500 gives its request id, logged with method, route and status, without the key', async () => {
      const key = await alertmanagerKey();
      app.services.ingest.ingest = () => Promise.reject(new Error('store down'));
      const res = await app.http!.inject({
        method: 'POST',
        url: `/api/integrations/alertmanager/${key}/api/v2/alerts?debug=1`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([{ labels: { alertname: 'A' } }]),
      });
      expect(res.statusCode).toBe(500);
      const error = res.json().error as { code: string; requestId: string };
      expect(error.code).toBe('INTERNAL');
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const failed = lines.filter((l) => l.msg === 'request failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        level: 50,
        reqId: error.requestId,
        requestId: error.requestId,
        method: 'POST',
        route: '/api/integrations/alertmanager/:key/api/v2/alerts',
        statusCode: 500,
      });
      expect(raw.join('')).not.toContain(key);
      // No access lines at info.
      expect(lines.filter((l) => l.msg === 'request')).toHaveLength(0);

      // Ids are random (UUIDv7), not a per-process counter (req-1, req-2, …) that restarts repeat.
      const again = await app.http!.inject({
        method: 'POST',
        url: `/api/integrations/alertmanager/${key}/api/v2/alerts`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify([{ labels: { alertname: 'B' } }]),
      });
      const second = (again.json() as { error: { requestId: string } }).error.requestId;
      expect(second).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).not.toBe(error.requestId);
    });
  });

  describe_('at debug', 'debug', () => {
    it('logs one access line per request: method, route pattern, status, ms; no key, no query', async () => {
      const key = await alertmanagerKey();
      const res = await app.http!.inject({
        method: 'POST',
        url: `/api/integrations/alertmanager/${key}/api/v2/alerts?token=secret-query`,
        headers: { 'content-type': 'application/json', cookie: 'tocsin_session=sekrit' },
        payload: JSON.stringify([{ labels: { alertname: 'A' } }]),
      });
      expect(res.statusCode).toBe(200);
      await app.http!.inject({ method: 'GET', url: '/healthz' });
      const access = lines.filter((l) => l.msg === 'request');
      expect(access).toHaveLength(2);
      expect(access[0]).toMatchObject({
        level: 20,
        method: 'POST',
        route: '/api/integrations/alertmanager/:key/api/v2/alerts',
        statusCode: 200,
        reqId: expect.any(String),
      });
      expect(typeof access[0]!.ms).toBe('number');
      expect(access[1]).toMatchObject({ method: 'GET', route: '/healthz', statusCode: 200 });
      const all = raw.join('');
      expect(all).not.toContain(key);
      expect(all).not.toContain('secret-query');
      expect(all).not.toContain('sekrit');
    });
  });

  /** A describe block whose app logs at `level`. */
  function describe_(name: string, level: string, fn: () => void) {
    describe(name, () => {
      beforeEach(() => setup(level));
      fn();
    });
  }
});
