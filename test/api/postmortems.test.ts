import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import {
  addSignedInMember,
  createTeam,
  loginAdmin,
  testPassword,
  type Member,
} from '../fixtures.js';
import { GitHubDouble } from '../doubles/github.js';
import { JiraDouble } from '../doubles/jira.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  login,
  type Session,
  type TestApp,
} from '../harness.js';

// The postmortems API at its edges: drafting on resolve (idempotent, by severity), editing with
// the version guard, the blameless check, review and publishing rules, action items and their
// reminders, export to the Jira and GitHub doubles, settings, and who may do what.

const minute = 60_000;
const day = 86_400_000;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

describeEachStore('postmortems API', (kind) => {
  let app: TestApp;
  let admin: Session;
  let teamId: string;
  let ada: Member;
  let bo: Member;
  let chen: Member;
  let vic: Member;
  let cache: string;
  /** Overdue reminders: in-app notifications (each also goes out by the owner's rules). */
  const reminders = async () =>
    (
      await app.db
        .selectFrom('notification_intents')
        .select(['user_id', 'message'])
        .where('reason', '=', 'action-item-overdue')
        .orderBy('created_at')
        .execute()
    ).map((r) => [r.user_id, r.message]);

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    admin = await loginAdmin(app);
    teamId = (await createTeam(app)).id;
    ada = await addSignedInMember(app, teamId, 'Ada', 'responder');
    bo = await addSignedInMember(app, teamId, 'Bo', 'responder');
    chen = await addSignedInMember(app, teamId, 'Chen', 'responder');
    vic = await addSignedInMember(app, teamId, 'Vic', 'viewer');
    cache = (
      await app.services.services.create(
        { type: 'system', name: 'test' },
        { teamId, name: 'Cache', description: '' },
      )
    ).id;
  });
  afterEach(async () => {
    await app.close();
  });

  function call(method: Method, url: string, payload?: unknown, who: Session = ada.session) {
    return app.http!.inject({
      method,
      url,
      headers: asSession(who),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  async function ok(method: Method, url: string, payload?: unknown, who: Session = ada.session) {
    const res = await call(method, url, payload, who);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }
  async function resolvedIncident(severity: 'SEV1' | 'SEV2' | 'SEV3', title = 'Cache down') {
    const incident = await ok('POST', '/api/incidents', { title, severity, serviceIds: [cache] });
    app.clock.fastForward(5 * minute);
    await ok('POST', `/api/incidents/${incident.id}/status`, { status: 'acknowledged' });
    app.clock.fastForward(20 * minute);
    await ok('POST', `/api/incidents/${incident.id}/status`, { status: 'resolved' });
    await app.engine!.runUntilIdle();
    return incident as { id: string; number: number };
  }
  async function draftOf(incidentId: string) {
    return ok('GET', `/api/incidents/${incidentId}/postmortem`);
  }

  it('drafts a postmortem when a SEV1/SEV2 incident resolves, once, and not for SEV3', async () => {
    const sev2 = await resolvedIncident('SEV2');
    const sev3 = await resolvedIncident('SEV3', 'Slow cache');
    const pm = await draftOf(sev2.id);
    expect(pm.postmortem).toMatchObject({
      status: 'draft',
      title: '#1 Cache down',
      createdBy: 'tocsin',
      version: 1,
    });
    expect(pm.postmortem.sections.summary).toContain('#1 Cache down (SEV2), affecting Cache.');
    expect(pm.postmortem.sections.businessImpact).toContain(
      '**Impact window:** 2026-03-10 10:00:00Z → 2026-03-10 10:25:00Z (25 min)',
    );
    expect(pm.postmortem.sections.timeline).toContain('Ada declared SEV2');
    expect(pm.postmortem.sections.timeline.split('\n')).toHaveLength(3);
    expect(pm.postmortem.sections.reason).toBe('');
    expect((await call('GET', `/api/incidents/${sev3.id}/postmortem`)).statusCode).toBe(404);

    // Idempotent: more engine passes and a manual create give the same one.
    await app.engine!.runUntilIdle();
    const again = await call('POST', `/api/incidents/${sev2.id}/postmortem`);
    expect([again.statusCode, again.json().postmortem.id]).toEqual([200, pm.postmortem.id]);
    // A SEV3 gets one by hand.
    const manual = await call('POST', `/api/incidents/${sev3.id}/postmortem`);
    expect([manual.statusCode, manual.json().postmortem.createdBy]).toEqual([201, 'Ada']);
    const timeline = (await ok('GET', `/api/incidents/${sev2.id}/timeline`)).items;
    expect(timeline.filter((t: { kind: string }) => t.kind === 'postmortem.drafted')).toHaveLength(
      1,
    );
  });

  it('edits in Markdown with a version guard, flags blaming sentences, and refuses bad input naming the field', async () => {
    const { id: incidentId } = await resolvedIncident('SEV1');
    const { postmortem } = await draftOf(incidentId);
    const url = `/api/postmortems/${postmortem.id}`;
    const bad: Array<[unknown, string]> = [
      [{ sections: { nope: 'x' } }, 'sections'],
      [{ sections: { reason: 5 } }, 'sections.reason'],
      [{ title: '  ' }, 'title'],
      [{ sections: { reason: 'x'.repeat(100_001) } }, 'sections.reason'],
      [{ reviewMeetingAt: 'tomorrow' }, 'reviewMeetingAt'],
      [{ status: 'published' }, ''],
    ];
    for (const [payload, field] of bad) {
      const res = await call('PATCH', url, payload);
      expect([res.statusCode, res.json().error.code], res.body).toEqual([400, 'VALIDATION_FAILED']);
      if (field) expect(res.json().error.field).toBe(field);
    }
    const edited = await ok('PATCH', url, {
      version: 1,
      sections: {
        reason: "The eviction policy was wrong. It was Bo's fault.",
        wentWell: 'Paging worked.',
      },
      reviewMeetingAt: Date.parse('2026-03-12T14:00:00Z'),
    });
    expect(edited.postmortem).toMatchObject({
      version: 2,
      reviewMeetingAt: Date.parse('2026-03-12T14:00:00Z'),
    });
    expect(edited.postmortem.sections.wentWell).toBe('Paging worked.');
    expect(edited.postmortem.sections.summary).toContain('Cache down'); // untouched sections stay
    expect(edited.findings).toEqual([
      expect.objectContaining({
        section: 'reason',
        rule: 'fault',
        match: "Bo's fault",
        sentence: "It was Bo's fault.",
        suggestion: 'It was a gap in our safeguards.',
      }),
    ]);
    const stale = await call('PATCH', url, { version: 1, sections: { reason: 'x' } });
    expect([stale.statusCode, stale.json().error.code, stale.json().error.field]).toEqual([
      409,
      'POSTMORTEM_VERSION_CONFLICT',
      'version',
    ]);
    // The check over unsaved text (the editor's preview).
    const checked = await ok('POST', '/api/postmortems/check', {
      text: 'Chen forgot to renew the certificate. The renewal job had no alert.',
    });
    expect(checked.findings.map((f: { rule: string; match: string }) => [f.rule, f.match])).toEqual(
      [['person-subject', 'Chen forgot to']],
    );
    // The organisation's word list.
    await ok(
      'PUT',
      '/api/settings/postmortems',
      {
        blameless: {
          terms: [{ term: 'cowboy', suggestion: 'unreviewed' }],
          disabled: ['careless'],
        },
      },
      admin,
    );
    const custom = await ok('POST', '/api/postmortems/check', {
      text: 'A cowboy, careless change.',
    });
    expect(custom.findings.map((f: { match: string }) => f.match)).toEqual(['cowboy']);

    // Search, and the Markdown export.
    expect((await ok('GET', '/api/postmortems?q=eviction%20POLICY')).items).toHaveLength(1);
    expect((await ok('GET', '/api/postmortems?q=eviction%25')).items).toHaveLength(0);
    const md = await call('GET', `${url}/export.md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('# Postmortem: #1 Cache down');
    expect(md.body).toContain(
      "## Reason for the outage\n\nThe eviction policy was wrong. It was Bo's fault.",
    );
  });

  it('goes to review, needs every reviewer to approve, then publishes and is final', async () => {
    const { id: incidentId } = await resolvedIncident('SEV2');
    const { postmortem } = await draftOf(incidentId);
    const url = `/api/postmortems/${postmortem.id}`;
    expect((await call('POST', `${url}/publish`)).json().error).toMatchObject({
      code: 'POSTMORTEM_STATUS_CONFLICT',
      message: 'A postmortem is reviewed before it is published',
    });
    const outsiderTeam = await createTeam(app, 'Billing');
    const olga = await addSignedInMember(app, outsiderTeam.id, 'Olga', 'admin');
    const notMember = await call('POST', `${url}/submit`, { reviewerIds: [bo.id, olga.id] });
    expect([
      notMember.statusCode,
      notMember.json().error.code,
      notMember.json().error.field,
    ]).toEqual([400, 'REVIEWER_NOT_IN_TEAM', 'reviewerIds']);
    expect((await call('POST', `${url}/submit`, { reviewerIds: [] })).json().error.field).toBe(
      'reviewerIds',
    );
    const submitted = await ok('POST', `${url}/submit`, { reviewerIds: [bo.id, chen.id] });
    expect(submitted.postmortem.status).toBe('in_review');
    expect(
      submitted.reviewers.map((r: { name: string; state: string }) => [r.name, r.state]),
    ).toEqual([
      ['Bo', 'pending'],
      ['Chen', 'pending'],
    ]);
    // Only requested reviewers review.
    const notReviewer = await call('POST', `${url}/reviews`, { decision: 'approve' }, ada.session);
    expect([notReviewer.statusCode, notReviewer.json().error.code]).toEqual([
      403,
      'NOT_A_REVIEWER',
    ]);
    expect(
      (await call('POST', `${url}/reviews`, { decision: 'comment' }, bo.session)).json().error
        .field,
    ).toBe('body');
    await ok(
      'POST',
      `${url}/reviews`,
      { decision: 'comment', body: 'Add the eviction graph', section: 'reason' },
      bo.session,
    );
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, bo.session);
    const early = await call('POST', `${url}/publish`);
    expect([early.statusCode, early.json().error.message]).toEqual([
      409,
      '1 reviewer(s) have not approved yet',
    ]);
    await ok('POST', `${url}/reviews`, { decision: 'approve', body: 'LGTM' }, chen.session);
    // Viewers read and comment, but do not publish.
    expect((await call('POST', `${url}/publish`, undefined, vic.session)).statusCode).toBe(403);
    await ok('POST', `${url}/comments`, { body: 'Thanks, clear write-up' }, vic.session);
    const published = await ok('POST', `${url}/publish`);
    expect(published.postmortem).toMatchObject({ status: 'published', publishedBy: 'Ada' });
    expect(
      published.comments.map((c: { kind: string; authorName: string }) => [c.kind, c.authorName]),
    ).toEqual([
      ['status', 'Ada'],
      ['comment', 'Bo'],
      ['approval', 'Bo'],
      ['approval', 'Chen'],
      ['comment', 'Vic'],
    ]);
    const final = await call('PATCH', url, { sections: { reason: 'late edit' } });
    expect([final.statusCode, final.json().error.code]).toEqual([409, 'POSTMORTEM_PUBLISHED']);
    expect((await ok('GET', '/api/postmortems?status=published')).items).toHaveLength(1);
    expect((await ok('GET', '/api/postmortems?status=draft')).items).toHaveLength(0);

    // Outsiders see nothing of it.
    for (const u of [url, `${url}/export.md`, `/api/incidents/${incidentId}/postmortem`]) {
      expect((await call('GET', u, undefined, olga.session)).statusCode).toBe(404);
    }
    expect((await ok('GET', '/api/postmortems', undefined, olga.session)).items).toEqual([]);
  });

  it('asks approvers again when the text changes in review, and puts rework on the timeline', async () => {
    const { id: incidentId } = await resolvedIncident('SEV2');
    const { postmortem } = await draftOf(incidentId);
    const url = `/api/postmortems/${postmortem.id}`;
    const states = async () =>
      (await ok('GET', url)).reviewers.map((r: { name: string; state: string }) => [
        r.name,
        r.state,
      ]);
    await ok('POST', `${url}/submit`, { reviewerIds: [bo.id, chen.id] });
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, bo.session);
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, chen.session);

    // Saving the same text, or only the meeting time, keeps the approvals.
    await ok('PATCH', url, { sections: { reason: postmortem.sections.reason } });
    await ok('PATCH', url, { reviewMeetingAt: Date.parse('2026-03-12T15:00:00Z') });
    expect(await states()).toEqual([
      ['Bo', 'approved'],
      ['Chen', 'approved'],
    ]);

    // Changing the text asks both again, says so in the review thread, and publish waits.
    const edited = await ok('PATCH', url, {
      sections: { reason: 'A cache node ran out of memory' },
    });
    expect(edited.reviewers.map((r: { name: string; state: string }) => [r.name, r.state])).toEqual(
      [
        ['Bo', 'pending'],
        ['Chen', 'pending'],
      ],
    );
    expect(edited.comments.at(-1)).toMatchObject({
      kind: 'status',
      authorName: 'Ada',
      body: 'Edited after approval: Bo, Chen asked to review again',
    });
    const early = await call('POST', `${url}/publish`);
    expect([early.statusCode, early.json().error.message]).toEqual([
      409,
      '2 reviewer(s) have not approved yet',
    ]);
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, bo.session);
    const title = await ok('PATCH', url, { title: 'Cache node out of memory' });
    expect(title.reviewers.map((r: { state: string }) => r.state)).toEqual(['pending', 'pending']);

    // Back to draft for rework is on the incident's timeline, like the other review steps.
    await ok('POST', `${url}/back-to-draft`);
    const steps = (await ok('GET', `/api/incidents/${incidentId}/timeline?kind=postmortem.*`))
      .items;
    expect(steps.map((t: { kind: string; actorName: string }) => [t.kind, t.actorName])).toEqual([
      ['postmortem.drafted', 'tocsin'],
      ['postmortem.in_review', 'Ada'],
      ['postmortem.back_to_draft', 'Ada'],
    ]);
    await ok('POST', `${url}/submit`, { reviewerIds: [bo.id, chen.id] });
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, bo.session);
    await ok('POST', `${url}/reviews`, { decision: 'approve' }, chen.session);
    expect((await ok('POST', `${url}/publish`)).postmortem.status).toBe('published');
  });

  it('keeps action items with priorities, owners in the team, and reminds owners when overdue', async () => {
    const { id: incidentId } = await resolvedIncident('SEV1');
    const { postmortem } = await draftOf(incidentId);
    const url = `/api/postmortems/${postmortem.id}/action-items`;
    const badCases: Array<[Record<string, unknown>, string, string]> = [
      [{ title: 'x', priority: 'urgent' }, 'VALIDATION_FAILED', 'priority'],
      [{ title: '', priority: 'high' }, 'VALIDATION_FAILED', 'title'],
      [{ title: 'x', priority: 'high', dueAt: -5 }, 'VALIDATION_FAILED', 'dueAt'],
      [{ title: 'x', priority: 'high', ownerId: 'nobody' }, 'OWNER_NOT_IN_TEAM', 'ownerId'],
    ];
    for (const [payload, code, field] of badCases) {
      const res = await call('POST', url, payload);
      expect([res.statusCode, res.json().error.code, res.json().error.field], res.body).toEqual([
        400,
        code,
        field,
      ]);
    }
    const item = await ok('POST', url, {
      title: 'Alert on eviction rate',
      priority: 'high',
      ownerId: bo.id,
      dueAt: app.clock.now() + 2 * day,
    });
    expect(item).toMatchObject({
      status: 'open',
      plannedFor: 'current sprint',
      overdue: false,
      incidentId,
    });
    const low = await ok('POST', url, { title: 'Rethink caching tier', priority: 'low' });
    expect(low.plannedFor).toBe('recorded for the architects');
    expect((await call('POST', url, { title: 'x', priority: 'low' }, vic.session)).statusCode).toBe(
      403,
    );

    // Not due yet: no reminder.
    await app.engine!.runUntilIdle();
    expect(await reminders()).toEqual([]);
    app.clock.fastForward(2 * day + minute);
    await app.engine!.runUntilIdle();
    expect(await reminders()).toEqual([
      [bo.id, '[#1] Action item overdue: Alert on eviction rate'],
    ]);
    // Days later the session has lapsed: sign in again.
    ada.session = await login(app, 'ada@x.test', testPassword);
    expect(
      (await ok('GET', '/api/action-items?overdue=true')).items.map((i: { id: string }) => i.id),
    ).toEqual([item.id]);
    // Again a day later, not before.
    app.clock.fastForward(12 * 60 * minute);
    await app.engine!.runUntilIdle();
    expect(await reminders()).toHaveLength(1);
    app.clock.fastForward(12 * 60 * minute);
    await app.engine!.runUntilIdle();
    expect(await reminders()).toHaveLength(2);
    // Done: no more reminders, no longer overdue.
    ada.session = await login(app, 'ada@x.test', testPassword);
    const done = await ok('PATCH', `/api/action-items/${item.id}`, { status: 'done' });
    expect(done).toMatchObject({ status: 'done', overdue: false, closedAt: app.clock.now() });
    app.clock.fastForward(3 * day);
    await app.engine!.runUntilIdle();
    expect(await reminders()).toHaveLength(2);
    ada.session = await login(app, 'ada@x.test', testPassword);
    expect((await ok('GET', '/api/action-items?overdue=true')).items).toEqual([]);
    expect(
      (await call('PATCH', `/api/action-items/${item.id}`, { status: 'closed' })).json().error
        .field,
    ).toBe('status');
  });

  it('exports action items to Jira and GitHub and mirrors their state back', async () => {
    const jira = await new JiraDouble({
      email: 'bot@acme.test',
      token: 'jira-secret-token',
    }).start();
    const github = await new GitHubDouble('gh-secret-token').start();
    try {
      const { id: incidentId } = await resolvedIncident('SEV1');
      const { postmortem } = await draftOf(incidentId);
      const url = `/api/postmortems/${postmortem.id}/action-items`;
      const a = await ok('POST', url, { title: 'Alert on eviction rate', priority: 'high' });
      const b = await ok('POST', url, { title: 'Document the cache', priority: 'medium' });
      const notConfigured = await call('POST', `/api/action-items/${a.id}/export`, {
        tracker: 'jira',
      });
      expect([notConfigured.statusCode, notConfigured.json().error.code]).toEqual([
        409,
        'TRACKER_NOT_CONFIGURED',
      ]);
      // Settings: admins only; tokens never shown again; bad fields named.
      const settings = {
        jira: {
          baseUrl: jira.url,
          projectKey: 'OPS',
          email: 'bot@acme.test',
          token: 'jira-secret-token',
        },
        github: { baseUrl: github.url, owner: 'acme', repo: 'ops', token: 'gh-secret-token' },
        syncMinutes: 5,
      };
      expect((await call('PUT', '/api/settings/postmortems', settings)).statusCode).toBe(403);
      const badKey = await call(
        'PUT',
        '/api/settings/postmortems',
        { jira: { ...settings.jira, projectKey: 'ops x' } },
        admin,
      );
      expect([badKey.statusCode, badKey.json().error.field]).toEqual([400, 'jira.projectKey']);
      const saved = await ok('PUT', '/api/settings/postmortems', settings, admin);
      expect(JSON.stringify(saved)).not.toContain('secret-token');
      expect(saved.jira).toMatchObject({ tokenSet: true, projectKey: 'OPS' });
      const stored = await app.db
        .selectFrom('org_settings')
        .select('value_json')
        .where('key', '=', 'postmortems')
        .executeTakeFirst();
      expect(stored!.value_json).not.toContain('secret-token');
      // Saving again without a token keeps the stored one.
      await ok(
        'PUT',
        '/api/settings/postmortems',
        { jira: { ...settings.jira, token: '' } },
        admin,
      );

      const exported = await ok('POST', `/api/action-items/${a.id}/export`, { tracker: 'jira' });
      expect(exported.external).toMatchObject({
        tracker: 'jira',
        key: 'OPS-1',
        url: `${jira.url}/browse/OPS-1`,
        state: 'new',
      });
      const created = JSON.parse(jira.requests.find((r) => r.method === 'POST')!.body);
      expect(created.fields).toMatchObject({
        project: { key: 'OPS' },
        summary: 'Alert on eviction rate',
        issuetype: { name: 'Task' },
        labels: ['tocsin-priority-high'],
      });
      const twice = await call('POST', `/api/action-items/${a.id}/export`, { tracker: 'github' });
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'ACTION_ITEM_EXPORTED']);
      const gh = await ok('POST', `/api/action-items/${b.id}/export`, { tracker: 'github' });
      expect(gh.external).toMatchObject({
        key: 'acme/ops#1',
        url: 'https://github.example/acme/ops/issues/1',
        state: 'open',
      });

      // Polled every 5 minutes: in progress, then done in Jira; won't do in GitHub.
      jira.transition('OPS-1', 'In Progress', 'indeterminate');
      app.clock.fastForward(5 * minute);
      await app.engine!.runUntilIdle();
      expect((await ok('GET', `/api/action-items/${a.id}`)).status).toBe('in_progress');
      jira.transition('OPS-1', 'Done', 'done');
      github.close(1, 'not_planned');
      app.clock.fastForward(5 * minute);
      await app.engine!.runUntilIdle();
      expect(await ok('GET', `/api/action-items/${a.id}`)).toMatchObject({
        status: 'done',
        external: { state: 'done' },
      });
      expect((await ok('GET', `/api/action-items/${b.id}`)).status).toBe('wont_do');
      // Closed items are no longer polled.
      const polls = jira.requests.length;
      app.clock.fastForward(30 * minute);
      await app.engine!.runUntilIdle();
      expect(jira.requests.length).toBe(polls);

      // A tracker failure is a 503 naming no secret.
      const c = await ok('POST', url, { title: 'Third', priority: 'low' });
      jira.respondNext({ status: 500, body: { errorMessages: ['boom jira-secret-token'] } });
      const failed = await call('POST', `/api/action-items/${c.id}/export`, { tracker: 'jira' });
      expect([failed.statusCode, failed.json().error.code]).toEqual([
        503,
        'TRACKER_REQUEST_FAILED',
      ]);
      expect(failed.body).not.toContain('jira-secret-token');
      expect((await ok('GET', `/api/action-items/${c.id}`)).external).toBeNull();
      // The failed export released the item: a retry opens the issue.
      const retried = await ok('POST', `/api/action-items/${c.id}/export`, { tracker: 'jira' });
      expect(retried.external).toMatchObject({ key: 'OPS-2' });
      // Two exports at once open one issue.
      const d = await ok('POST', url, { title: 'Fourth', priority: 'low' });
      const both = await Promise.all([
        call('POST', `/api/action-items/${d.id}/export`, { tracker: 'jira' }),
        call('POST', `/api/action-items/${d.id}/export`, { tracker: 'github' }),
      ]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(jira.issues.size + github.issues.size).toBe(4);
    } finally {
      await jira.stop();
      await github.stop();
    }
  });
});
