import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { addSignedInMember, createTeam, loginAdmin, type Member } from '../fixtures.js';
import {
  asSession,
  createTestApp,
  describeEachStore,
  type Session,
  type TestApp,
} from '../harness.js';

// Customer tickets taken by one team's intake (Solutions) and linked into another team's
// incidents (Platform): the incident's people see them; moving one to another incident is said
// on both timelines; only that incident's responders may take it away while it is open.

describeEachStore('tickets linked across teams', (kind) => {
  let app: TestApp;
  let admin: Session;
  /** Solutions (intake) and Platform responder: links tickets into Platform's incidents. */
  let sam: Member;
  /** A Platform viewer. */
  let vic: Member;
  /** Billing responder who reads Solutions' tickets, nothing of Platform. */
  let bill: Member;
  let platformService: string;
  let billingService: string;

  beforeEach(async () => {
    app = await createTestApp(kind, { clock: new FakeClock('2026-03-10T10:00:00Z') });
    admin = await loginAdmin(app);
    const solutions = (await createTeam(app, 'Solutions')).id;
    const platform = (await createTeam(app, 'Platform')).id;
    const billing = (await createTeam(app, 'Billing')).id;
    sam = await addSignedInMember(app, solutions, 'Sam', 'responder');
    await app.services.teams.setMember(
      { type: 'system', name: 'test' },
      platform,
      sam.id,
      'responder',
    );
    vic = await addSignedInMember(app, platform, 'Vic', 'viewer');
    bill = await addSignedInMember(app, billing, 'Bill', 'responder');
    await app.services.teams.setMember(
      { type: 'system', name: 'test' },
      solutions,
      bill.id,
      'viewer',
    );
    const system = { type: 'system', name: 'test' } as const;
    platformService = (
      await app.services.services.create(system, { teamId: platform, name: 'Web', description: '' })
    ).id;
    billingService = (
      await app.services.services.create(system, {
        teamId: billing,
        name: 'Invoices',
        description: '',
      })
    ).id;
    const intake = await call(admin, 'PUT', '/api/response-settings', { ticketTeamId: solutions });
    expect(intake.statusCode, intake.body).toBe(200);
  });
  afterEach(async () => {
    await app.close();
  });

  function call(
    who: Session | Member,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
  ) {
    const session = 'session' in who ? who.session : who;
    return app.http!.inject({
      method,
      url,
      headers: asSession(session),
      ...(payload ? { payload } : {}),
    });
  }

  async function declare(who: Member, title: string, serviceId: string) {
    const res = await call(who, 'POST', '/api/incidents', {
      title,
      severity: 'SEV3',
      serviceIds: [serviceId],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: number };
  }

  async function ticket(subject: string): Promise<string> {
    const res = await call(sam, 'POST', '/api/tickets', {
      customerName: 'Grace Hopper',
      customerEmail: 'grace@customer.test',
      subject,
      body: 'Every checkout ends with "502 Bad Gateway".',
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }

  const link = (who: Member, ticketId: string, incidentId: string) =>
    call(who, 'POST', `/api/tickets/${ticketId}/link`, { incidentId });
  const ticketsOn = async (incidentId: string, who: Member = vic) =>
    (
      (await call(who, 'GET', `/api/incidents/${incidentId}`)).json().tickets as Array<{
        id: string;
      }>
    ).map((t) => t.id);
  const ticketLines = async (incidentId: string) =>
    (
      (await call(admin, 'GET', `/api/incidents/${incidentId}/timeline?kind=ticket.*`)).json()
        .items as Array<{ kind: string; actorName: string; message: string }>
    ).map((t) => `${t.kind} by ${t.actorName}: ${t.message}`);

  it("shows a ticket linked into another team's incident to that incident's people", async () => {
    const a = await declare(sam, 'Checkout errors', platformService);
    const t = await ticket('Checkout page shows an error');
    const linked = await link(sam, t, a.id);
    expect(linked.statusCode, linked.body).toBe(200);
    // The ticket stays Solutions'; Platform's viewer sees it on the incident all the same.
    expect(await ticketsOn(a.id)).toEqual([t]);
  });

  it('moves a relinked ticket, saying so on both timelines; relinking in place changes nothing', async () => {
    const a = await declare(sam, 'Checkout errors', platformService);
    const b = await declare(sam, 'Payments failing', platformService);
    const t = await ticket('Checkout page shows an error');
    expect((await link(sam, t, a.id)).statusCode).toBe(200);
    app.clock.set('2026-03-10T10:05:00Z');
    const moved = await link(sam, t, b.id);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: t, incidentId: b.id });
    expect(await ticketsOn(a.id)).toEqual([]);
    expect(await ticketsOn(b.id)).toEqual([t]);
    expect(await ticketLines(a.id)).toEqual([
      'ticket.linked by Grace Hopper: Customer ticket from Grace Hopper <grace@customer.test>: Checkout page shows an error',
      `ticket.moved by Sam: Sam moved the ticket from Grace Hopper (Checkout page shows an error) to #${b.number}`,
    ]);
    expect(await ticketLines(b.id)).toEqual([
      `ticket.linked by Grace Hopper: Customer ticket from Grace Hopper <grace@customer.test>: Checkout page shows an error (moved from #${a.number} by Sam)`,
    ]);
    expect((await link(sam, t, b.id)).statusCode).toBe(200);
    expect(await ticketLines(b.id)).toHaveLength(1);
  });

  it("takes a ticket out of an open incident only for that incident's responders", async () => {
    const a = await declare(sam, 'Checkout errors', platformService);
    const c = await declare(bill, 'Invoices late', billingService);
    const t = await ticket('Invoice shows an error');
    expect((await link(sam, t, a.id)).statusCode).toBe(200);
    const refused = await link(bill, t, c.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'TICKET_LINKED_ELSEWHERE' });
    expect(refused.json().error.message).toContain(`#${a.number}`);
    expect(await ticketsOn(a.id)).toEqual([t]);
    // Once that incident is resolved, the ticket may go where it belongs.
    expect(
      (await call(sam, 'POST', `/api/incidents/${a.id}/status`, { status: 'resolved' })).statusCode,
    ).toBe(200);
    expect((await link(bill, t, c.id)).statusCode).toBe(200);
    expect(await ticketsOn(c.id, bill)).toEqual([t]);
  });
});
