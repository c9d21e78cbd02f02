import { expect } from 'vitest';
import { systemActor, type TeamRole } from '../src/core/actor.js';
import { asSession, login, testAdmin, type Session, type TestApp } from './harness.js';

/*
 * Fixtures for API and scenario tests: a team of people who can sign in, a service paged through
 * an escalation policy with an integration key, verified contact methods and notification rules,
 * and notifiers configured as the admin. Each helper checks its own HTTP answers, so a fixture
 * that goes wrong fails the test that set it up.
 */

const system = systemActor('test');

/** The methods the API answers to. */
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An API request as `s` (session cookie and CSRF token), with a JSON body when given. */
export function requestAs(
  app: TestApp,
  s: Session,
  method: ApiMethod,
  url: string,
  payload?: object,
) {
  return app.http!.inject({ method, url, headers: asSession(s), ...(payload ? { payload } : {}) });
}

/** The password of every person these fixtures create. */
export const testPassword = 'a long enough password';

/** A team named `name` (Platform unless given). */
export async function createTeam(app: TestApp, name = 'Platform'): Promise<{ id: string }> {
  return app.services.teams.create(system, { name, description: '' });
}

/** A person with `role` on the team, email `<name in lower case>@x.test`. */
export async function addMember(app: TestApp, teamId: string, name: string, role: TeamRole) {
  const u = await app.services.users.create(system, {
    email: `${name.toLowerCase()}@x.test`,
    name,
    password: testPassword,
    isOrgAdmin: false,
  });
  await app.services.teams.setMember(system, teamId, u.id, role);
  return u;
}

export interface Member {
  id: string;
  name: string;
  session: Session;
}

/** `addMember`, then signed in. */
export async function addSignedInMember(
  app: TestApp,
  teamId: string,
  name: string,
  role: TeamRole,
): Promise<Member> {
  const u = await addMember(app, teamId, name, role);
  return { id: u.id, name, session: await login(app, u.email, testPassword) };
}

/** The seeded org admin, signed in. */
export function loginAdmin(app: TestApp): Promise<Session> {
  return login(app, testAdmin.email, testAdmin.password);
}

/** A service of the team, escalating through `escalationPolicyId`. */
export async function createService(
  app: TestApp,
  teamId: string,
  name: string,
  escalationPolicyId: string,
): Promise<{ id: string }> {
  const s = await app.services.services.create(system, { teamId, name, description: '' });
  await app.services.services.update(system, s.id, { escalationPolicyId });
  return { id: s.id };
}

/** An integration on the service (PagerDuty Events v2 unless given); returns its key. */
export async function addIntegrationKey(
  app: TestApp,
  serviceId: string,
  integration: { type: 'pagerduty-v2' | 'alertmanager'; name?: string } = { type: 'pagerduty-v2' },
): Promise<string> {
  const { key } = await app.services.integrations.create(system, serviceId, {
    ...integration,
    config: {},
    rateLimitPerMinute: 600,
  });
  return key;
}

/**
 * The pipeline tests' starting point: team Platform, its service Database without an escalation
 * policy, and a PagerDuty Events v2 key on it, already authenticated.
 */
export async function createIngestTarget(app: TestApp, rateLimitPerMinute: number) {
  const teamId = (await app.services.teams.create(system, { name: 'Platform', description: '' }))
    .id;
  const serviceId = (
    await app.services.services.create(system, { teamId, name: 'Database', description: '' })
  ).id;
  const { key } = await app.services.integrations.create(system, serviceId, {
    type: 'pagerduty-v2',
    config: {},
    rateLimitPerMinute,
  });
  const ref = await app.services.ingest.authenticate(key, 'pagerduty-v2');
  return { teamId, serviceId, key, ref };
}

/** `createService` with an integration key on it (PagerDuty Events v2 unless given). */
export async function createPagedService(
  app: TestApp,
  teamId: string,
  name: string,
  escalationPolicyId: string,
  integration?: { type: 'pagerduty-v2' | 'alertmanager'; name?: string },
): Promise<{ id: string; key: string }> {
  const { id } = await createService(app, teamId, name, escalationPolicyId);
  return { id, key: await addIntegrationKey(app, id, integration) };
}

/** Enables the notifier `id` with `config`, as the admin. */
export async function configureNotifier(
  app: TestApp,
  admin: Session,
  id: string,
  config: Record<string, unknown>,
): Promise<void> {
  const res = await app.http!.inject({
    method: 'PUT',
    url: `/api/notifiers/${id}`,
    headers: asSession(admin),
    payload: { enabled: true, config },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** The six-digit code in a delivered verification message ("code is 123 456" reads 123456). */
export function verificationCode(delivered: string): string {
  const match = /code is ([\d ,]+)/.exec(delivered);
  expect(match, `no code in: ${delivered}`).not.toBeNull();
  const code = match![1]!.replace(/\D/g, '').slice(0, 6);
  expect(code).toMatch(/^\d{6}$/);
  return code;
}

/**
 * Adds a contact method and verifies it with the code from where it was delivered: `delivered`
 * returns that message's text once the add has sent it. Returns the method's id.
 */
export async function addVerifiedContact(
  app: TestApp,
  who: Session,
  method: { type: string; label: string; address: string },
  delivered: () => string,
): Promise<string> {
  const res = await app.http!.inject({
    method: 'POST',
    url: '/api/me/contact-methods',
    headers: asSession(who),
    payload: method,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const verified = await app.http!.inject({
    method: 'POST',
    url: `/api/me/contact-methods/${id}/verify`,
    headers: asSession(who),
    payload: { code: verificationCode(delivered()) },
  });
  expect(verified.statusCode, verified.body).toBe(200);
  return id;
}

/** A notification rule of the signed-in person: `contactMethodId` after `delayMinutes`. */
export async function addNotificationRule(
  app: TestApp,
  who: Session,
  contactMethodId: string,
  delayMinutes: number,
  urgency: 'high' | 'low' = 'high',
): Promise<void> {
  const res = await app.http!.inject({
    method: 'POST',
    url: '/api/me/notification-rules',
    headers: asSession(who),
    payload: { contactMethodId, urgency, delayMinutes },
  });
  expect(res.statusCode, res.body).toBe(201);
}
