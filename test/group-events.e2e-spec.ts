import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

describe('group events', () => {
  let api: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
  });
  afterAll(() => api?.close());

  const createEvent = async (host: TestUser, fields: Record<string, unknown> = {}): Promise<any> => {
    const res = await api.post(
      '/api/v1/events',
      { title: 'Virtual Coffee Chat', category: 'social', starts_at: inDays(7), location: 'Community centre', capacity: 10, ...fields },
      { token: host.access },
    );
    if (res.status !== 201) throw new Error(`create event failed: ${res.status} ${res.text}`);
    return res.body.data;
  };
  const book = (user: TestUser, eventId: string, paymentMethodId?: string) =>
    api.post('/api/v1/events/book', { event_id: eventId, ...(paymentMethodId ? { payment_method_id: paymentMethodId } : {}) }, { token: user.access });
  const event = async (user: TestUser, eventId: string): Promise<any> => (await api.get(`/api/v1/events/${eventId}`, { token: user.access })).body.data;
  const payments = async (user: TestUser): Promise<any[]> => (await api.get('/api/v1/payments/history', { token: user.access })).body.data;
  const ticketNotices = async (user: TestUser): Promise<any[]> =>
    (await api.get('/api/v1/notifications?notification_type=event_ticket', { token: user.access })).body.data;
  const people = (n: number): Promise<TestUser[]> => Promise.all(Array.from({ length: n }, () => registerUser(api)));

  it('hosts create events; clients and unverified providers may not; bad input is refused naming the field, nothing written', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const client = await registerUser(api);
    const unverified = await registerUser(api, { role: Role.Therapist });
    const body = { title: 'Mindful Walk', starts_at: inDays(3), location: 'City park', capacity: 5 };
    expect((await api.post('/api/v1/events', body, { token: client.access })).status).toBe(403);
    const notVerified = await api.post('/api/v1/events', body, { token: unverified.access });
    expect([notVerified.status, notVerified.body.code]).toEqual([403, 'AUTH.PROVIDER_NOT_VERIFIED']);

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...body, registered_count: 3 }, 'registered_count'],
      [{ ...body, capacity: '5' }, 'capacity'],
      [{ ...body, capacity: 0 }, 'capacity'],
      [{ ...body, capacity: 10_001 }, 'capacity'],
      [{ ...body, starts_at: new Date(Date.now() - 3_600_000).toISOString() }, 'starts_at'],
      [{ ...body, starts_at: '2030-01-01 10:00' }, 'starts_at'],
      [{ ...body, price: '-5.00' }, 'price'],
      [{ ...body, price: 5 }, 'price'],
      [{ ...body, price: '5.001' }, 'price'],
      [{ ...body, currency: 'XYZ' }, 'currency'],
      [{ ...body, online_url: 'http://insecure.example.com/room' }, 'online_url'],
      [{ ...body, location: undefined }, 'location'],
      [{ ...body, title: 42 }, 'title'],
      [{ ...body, host_id: client.id }, 'host_id'],
    ];
    for (const [fields, field] of bad) {
      const res = await api.post('/api/v1/events', fields, { token: host.access });
      expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([400, [field]]);
    }
    const yen = await api.post('/api/v1/events', { ...body, price: '500.5', currency: 'JPY' }, { token: host.access });
    expect([yen.status, Object.keys(yen.body.errors)]).toEqual([400, ['price']]);
    expect((await api.get(`/api/v1/events?host_id=${host.id}`, { token: client.access })).body.pagination.count).toBe(0);

    const created = await api.post(
      '/api/v1/events',
      { ...body, location: undefined, online_url: 'https://meet.jit.si/haven-walk', price: '5.00', description: 'Bring water' },
      { token: host.access },
    );
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      title: 'Mindful Walk',
      category: 'general',
      capacity: 5,
      registered_count: 0,
      waitlist_count: 0,
      seats_available: 5,
      price: '5.00',
      currency: 'USD',
      is_free: false,
      is_online: true,
      online_url: 'https://meet.jit.si/haven-walk',
      status: 'scheduled',
      duration_minutes: 60,
      my_ticket: null,
      host: { id: host.id, role: 'friend' },
    });
    expect(created.body.data.date).toBe(created.body.data.starts_at);
    // The link is for the host, staff and seat holders only.
    expect((await event(client, created.body.data.id)).online_url).toBeNull();
    expect((await event(admin, created.body.data.id)).online_url).toBe('https://meet.jit.si/haven-walk');
    const free = await createEvent(host, { price: '0.00' });
    expect([free.price, free.is_free]).toEqual(['0.00', true]);
  });

  it('lists upcoming events with the seed’s filters, paginated', async () => {
    const host = await verifiedProvider(api, admin, Role.Therapist);
    const client = await registerUser(api);
    const category = `cat-${Date.now().toString(36)}`;
    const soon = await createEvent(host, { category, starts_at: inDays(2), location: 'Riverside Library, Room 4' });
    const later = await createEvent(host, { category, starts_at: inDays(20), location: 'Harbour Hall' });
    const online = await createEvent(host, { category, starts_at: inDays(5), location: undefined, online_url: 'https://meet.example.org/x' });
    const past = await createEvent(host, { category, starts_at: inDays(1) });
    await api.resolve(DataSource).query(`UPDATE group_events SET starts_at = now() - interval '2 days' WHERE id = $1`, [past.id]);

    const list = async (query: string): Promise<string[]> => {
      const res = await api.get(`/api/v1/events?category=${category}&${query}`, { token: client.access });
      expect(res.status).toBe(200);
      return res.body.data.map((e: any) => e.id);
    };
    expect(await list('')).toEqual([soon.id, online.id, later.id]);
    expect(await list('location=riverside')).toEqual([soon.id]);
    expect(await list('location=HALL')).toEqual([later.id]);
    expect(await list(`date_after=${encodeURIComponent(inDays(4))}`)).toEqual([online.id, later.id]);
    expect(await list(`date_after=${encodeURIComponent(inDays(-5))}&date_before=${encodeURIComponent(inDays(3))}`)).toEqual([past.id, soon.id]);
    expect(await list(`host_id=${host.id}&ordering=-starts_at`)).toEqual([later.id, online.id, soon.id]);
    expect(await list(`host_id=${client.id}`)).toEqual([]);
    const page = await api.get(`/api/v1/events?category=${category}&page_size=2`, { token: client.access });
    expect(page.body.pagination).toMatchObject({ count: 3, total_pages: 2 });
    expect(page.body.data[0]).toMatchObject({ capacity: 10, registered_count: 0, waitlist_count: 0, price: '0.00', my_ticket: null });
    for (const query of ['date_after=tomorrow', 'host_id=abc', 'status=gone', 'ordering=capacity', 'page_size=1000']) {
      expect((await api.get(`/api/v1/events?${query}`, { token: client.access })).status).toBe(400);
    }
    expect((await api.get('/api/v1/events', {})).status).toBe(401);
  });

  it('hosts and staff edit; others get 404 (or 403 without the permission); capacity never below the seats taken', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const otherHost = await verifiedProvider(api, admin, Role.Therapist);
    const [a, b] = await people(2);
    const created = await createEvent(host, { capacity: 3 });
    expect((await book(a, created.id)).status).toBe(201);
    expect((await book(b, created.id)).status).toBe(201);

    expect((await api.patch(`/api/v1/events/${created.id}`, { title: 'Mine now' }, { token: otherHost.access })).status).toBe(404);
    expect((await api.patch(`/api/v1/events/${created.id}`, { title: 'Mine now' }, { token: a.access })).status).toBe(403);
    expect((await api.patch(`/api/v1/events/${MISSING_ID}`, { title: 'Nobody' }, { token: host.access })).body.code).toBe('EVENTS.NOT_FOUND');
    const shrink = await api.patch(`/api/v1/events/${created.id}`, { capacity: 1 }, { token: host.access });
    expect([shrink.status, shrink.body.code, Object.keys(shrink.body.errors)]).toEqual([409, 'EVENTS.CAPACITY_BELOW_REGISTERED', ['capacity']]);
    for (const [fields, field] of [
      [{ registered_count: 0 }, 'registered_count'],
      [{ location: null }, 'location'],
      [{ capacity: 0 }, 'capacity'],
      [{ starts_at: inDays(-1) }, 'starts_at'],
      [{ price: '-1' }, 'price'],
    ] as const) {
      const res = await api.patch(`/api/v1/events/${created.id}`, fields, { token: host.access });
      expect([res.status, Object.keys(res.body.errors ?? {})]).toEqual([400, [field]]);
    }
    const edited = await api.patch(`/api/v1/events/${created.id}`, { capacity: 2, title: 'Coffee, again', starts_at: inDays(8) }, { token: host.access });
    expect(edited.body.data).toMatchObject({ capacity: 2, registered_count: 2, seats_available: 0, title: 'Coffee, again' });
    const byStaff = await api.patch(`/api/v1/events/${created.id}`, { description: 'Staff note', location: null, online_url: 'https://meet.example.org/c' }, { token: admin.access });
    expect(byStaff.body.data).toMatchObject({ description: 'Staff note', location: null, is_online: true });
    // Ticket holders hear of a new time or place.
    expect((await ticketNotices(a)).map((n) => n.title)).toContain('Event changed');
    expect((await event(a, created.id)).online_url).toBe('https://meet.example.org/c');
  });

  it('free booking fills to capacity, then a waitlist in order; one ticket per user', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const [c1, c2, c3, c4] = await people(4);
    const created = await createEvent(host, { capacity: 2 });
    const tickets = [];
    for (const user of [c1, c2, c3, c4]) {
      const res = await book(user, created.id, 'pm_1234567890');
      expect(res.status).toBe(201);
      tickets.push(res.body.data);
    }
    expect(tickets.map((t) => [t.status, t.waitlist_position, t.price])).toEqual([
      ['confirmed', null, '0.00'],
      ['confirmed', null, '0.00'],
      ['waitlisted', 1, '0.00'],
      ['waitlisted', 2, '0.00'],
    ]);
    const again = await book(c1, created.id);
    expect([again.status, again.body.code]).toEqual([409, 'EVENTS.ALREADY_BOOKED']);
    const again4 = await book(c4, created.id);
    expect(again4.body.code).toBe('EVENTS.ALREADY_BOOKED');
    expect(await event(c4, created.id)).toMatchObject({ registered_count: 2, waitlist_count: 2, seats_available: 0, my_ticket: { id: tickets[3].id, waitlist_position: 2 } });
    const mine = await api.get(`/api/v1/events/${created.id}/tickets/me`, { token: c3.access });
    expect(mine.body.data).toMatchObject({ id: tickets[2].id, status: 'waitlisted', waitlist_position: 1 });
    // Free events ignore a payment method; nothing was charged.
    expect(await payments(c1)).toEqual([]);
  });

  it('a cancelled seat goes to the first in line, who is told; a waitlisted cancellation just leaves the line', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const [c1, c2, c3, c4, c5] = await people(5);
    const created = await createEvent(host, { capacity: 2 });
    const ticket: Record<string, any> = {};
    for (const [name, user] of Object.entries({ c1, c2, c3, c4, c5 })) ticket[name] = (await book(user, created.id)).body.data;

    // Another user's ticket is a 404, like a missing one.
    expect((await api.delete(`/api/v1/events/tickets/${ticket.c1.id}`, { token: c2.access })).body.code).toBe('EVENTS.TICKET_NOT_FOUND');
    expect((await api.delete(`/api/v1/events/tickets/${MISSING_ID}`, { token: c2.access })).status).toBe(404);
    expect((await api.delete('/api/v1/events/tickets/not-a-uuid', { token: c2.access })).status).toBe(400);

    const left = await api.delete(`/api/v1/events/tickets/${ticket.c3.id}`, { token: c3.access });
    expect(left.body.data).toMatchObject({ status: 'cancelled', waitlist_position: null });
    expect((await event(c4, created.id)).my_ticket.waitlist_position).toBe(1);
    expect(await event(c4, created.id)).toMatchObject({ registered_count: 2, waitlist_count: 2 });

    const cancelled = await api.delete(`/api/v1/events/tickets/${ticket.c1.id}`, { token: c1.access });
    expect(cancelled.body.data.status).toBe('cancelled');
    expect((await event(c4, created.id)).my_ticket).toMatchObject({ status: 'confirmed', waitlist_position: null });
    expect((await event(c5, created.id)).my_ticket).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
    expect(await event(c1, created.id)).toMatchObject({ registered_count: 2, waitlist_count: 1, my_ticket: null });
    const notices = await ticketNotices(c4);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: 'You have a seat', related_id: created.id, notification_type: 'event_ticket' });
    expect(await ticketNotices(c5)).toEqual([]);
    const twice = await api.delete(`/api/v1/events/tickets/${ticket.c1.id}`, { token: c1.access });
    expect([twice.status, twice.body.code]).toEqual([409, 'EVENTS.TICKET_NOT_ACTIVE']);
    expect((await api.get(`/api/v1/events/${created.id}/tickets/me`, { token: c1.access })).body.code).toBe('EVENTS.TICKET_NOT_FOUND');
    // A new booking after cancelling goes to the back of the line.
    expect((await book(c1, created.id)).body.data).toMatchObject({ status: 'waitlisted', waitlist_position: 2 });

    // Growing the capacity moves the line up in order.
    const grown = await api.patch(`/api/v1/events/${created.id}`, { capacity: 4 }, { token: host.access });
    expect(grown.body.data).toMatchObject({ capacity: 4, registered_count: 4, waitlist_count: 0 });
    expect((await event(c1, created.id)).my_ticket.status).toBe('confirmed');
    expect((await ticketNotices(c5)).map((n) => n.title)).toEqual(['You have a seat']);
  });

  it('attendees with waitlist positions: the host and staff only; others get 404', async () => {
    const host = await verifiedProvider(api, admin, Role.Therapist);
    const otherHost = await verifiedProvider(api, admin, Role.Friend);
    const [c1, c2, c3] = await people(3);
    const created = await createEvent(host, { capacity: 1 });
    for (const user of [c1, c2, c3]) await book(user, created.id);
    const list = await api.get(`/api/v1/events/${created.id}/attendees`, { token: host.access });
    expect(list.status).toBe(200);
    expect(list.body.data.map((a: any) => [a.user.id, a.status, a.waitlist_position])).toEqual([
      [c1.id, 'confirmed', null],
      [c2.id, 'waitlisted', 1],
      [c3.id, 'waitlisted', 2],
    ]);
    expect(list.body.pagination.count).toBe(3);
    const waiting = await api.get(`/api/v1/events/${created.id}/attendees?status=waitlisted&page_size=1&page=2`, { token: admin.access });
    expect(waiting.body.data.map((a: any) => [a.user.id, a.waitlist_position])).toEqual([[c3.id, 2]]);
    for (const user of [c1, otherHost]) {
      const res = await api.get(`/api/v1/events/${created.id}/attendees`, { token: user.access });
      expect([res.status, res.body.code]).toEqual([404, 'EVENTS.NOT_FOUND']);
    }
    expect((await api.get(`/api/v1/events/${MISSING_ID}/attendees`, { token: host.access })).status).toBe(404);
    expect((await api.get(`/api/v1/events/${created.id}/attendees?status=cancelled`, { token: host.access })).status).toBe(400);
  });

  it('paid tickets: a payment method is required; declined books nothing; success is charged once', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const [buyer, declined, unknown] = await people(3);
    const created = await createEvent(host, { capacity: 2, price: '12.50', currency: 'EUR' });

    const missing = await book(buyer, created.id);
    expect([missing.status, missing.body.code, Object.keys(missing.body.errors)]).toEqual([400, 'EVENTS.PAYMENT_METHOD_REQUIRED', ['payment_method_id']]);
    const refused = await book(declined, created.id, 'pm_card_chargeDeclined');
    expect([refused.status, refused.body.code]).toEqual([402, 'EVENTS.PAYMENT_DECLINED']);
    expect((await event(declined, created.id)).my_ticket).toBeNull();
    expect((await payments(declined)).map((p) => p.status)).toEqual(['declined']);
    const badMethod = await book(unknown, created.id, 'pm_made_up');
    expect([badMethod.status, badMethod.body.code]).toEqual([400, 'PAYMENTS.UNKNOWN_PAYMENT_METHOD']);
    expect(await event(unknown, created.id)).toMatchObject({ registered_count: 0, my_ticket: null });

    const paid = await book(buyer, created.id, 'pm_card_visa');
    expect(paid.status).toBe(201);
    expect(paid.body.data).toMatchObject({ status: 'confirmed', price: '12.50', currency: 'EUR', client_secret: null });
    const history = await payments(buyer);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: paid.body.data.payment_id, amount: '12.50', currency: 'EUR', status: 'succeeded', purpose: 'event_ticket', reference_id: paid.body.data.id });
    expect(await event(buyer, created.id)).toMatchObject({ registered_count: 1, price: '12.50' });
    // The declined buyer may try again with another card.
    expect((await book(declined, created.id, 'pm_card_visa')).body.data.status).toBe('confirmed');
    // A new price applies to new bookings; a currency without cents cannot take 12.50.
    const yen = await api.patch(`/api/v1/events/${created.id}`, { currency: 'JPY' }, { token: host.access });
    expect([yen.status, Object.keys(yen.body.errors)]).toEqual([400, ['price']]);
    const repriced = await api.patch(`/api/v1/events/${created.id}`, { price: '15', capacity: 3 }, { token: host.access });
    expect(repriced.body.data).toMatchObject({ price: '15.00', currency: 'EUR' });
    expect((await event(buyer, created.id)).my_ticket.price).toBe('12.50');
    expect((await book(unknown, created.id, 'pm_card_visa')).body.data.price).toBe('15.00');
  });

  it('a waitlisted paid buyer is charged only on promotion; a decline then passes the seat on', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const [first, broke, patient, late] = await people(4);
    const created = await createEvent(host, { capacity: 1, price: '5.00' });
    const seat = (await book(first, created.id, 'pm_card_visa')).body.data;
    const brokeTicket = (await book(broke, created.id, 'pm_card_chargeDeclined')).body.data;
    const waiting = (await book(patient, created.id, 'pm_card_visa')).body.data;
    expect([brokeTicket.status, brokeTicket.waitlist_position, waiting.status, waiting.waitlist_position]).toEqual(['waitlisted', 1, 'waitlisted', 2]);
    expect(await payments(broke)).toEqual([]);
    expect(await payments(patient)).toEqual([]);

    const cancelled = await api.delete(`/api/v1/events/tickets/${seat.id}`, { token: first.access });
    expect(cancelled.body.data.status).toBe('cancelled');
    // The first in line was charged on promotion and declined: the seat went on to the next.
    expect((await payments(first)).map((p) => p.status)).toEqual(['refunded']);
    expect((await payments(broke)).map((p) => p.status)).toEqual(['declined']);
    const charged = await payments(patient);
    expect(charged.map((p) => [p.status, p.amount, p.reference_id])).toEqual([['succeeded', '5.00', waiting.id]]);
    expect((await event(patient, created.id)).my_ticket).toMatchObject({ status: 'confirmed', payment_id: charged[0].id });
    expect((await api.get(`/api/v1/events/${created.id}/tickets/me`, { token: broke.access })).status).toBe(404);
    expect(await event(host, created.id)).toMatchObject({ registered_count: 1, waitlist_count: 0 });
    expect((await ticketNotices(broke)).map((n) => n.title)).toEqual(['Payment declined']);
    expect((await ticketNotices(patient)).map((n) => n.title)).toEqual(['You have a seat']);
    // After a decline, booking again joins the back of the line.
    expect((await book(late, created.id, 'pm_card_visa')).body.data).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
  });

  it('a payment that needs action holds the seat until confirmed; an expired hold is released to the line', async () => {
    const host = await verifiedProvider(api, admin, Role.Therapist);
    const [buyer, waiting, slow, next] = await people(4);
    const created = await createEvent(host, { capacity: 1, price: '20.00' });
    const held = await book(buyer, created.id, 'pm_card_authenticationRequired');
    expect(held.status).toBe(201);
    expect(held.body.data).toMatchObject({ status: 'pending_payment' });
    expect(held.body.data.client_secret).toEqual(expect.any(String));
    expect(held.body.data.hold_expires_at).toEqual(expect.any(String));
    expect((await book(waiting, created.id, 'pm_card_visa')).body.data.status).toBe('waitlisted');
    // Someone else cannot confirm it; before the action it is still pending.
    expect((await api.post(`/api/v1/events/tickets/${held.body.data.id}/confirm`, undefined, { token: waiting.access })).status).toBe(404);
    const early = await api.post(`/api/v1/events/tickets/${held.body.data.id}/confirm`, undefined, { token: buyer.access });
    expect(early.body.data.status).toBe('pending_payment');

    const done = await api.post('/api/v1/payments/sandbox/confirm', { client_secret: held.body.data.client_secret }, { token: buyer.access });
    expect(done.status).toBe(200);
    expect((await event(buyer, created.id)).my_ticket).toMatchObject({ status: 'confirmed', client_secret: null });
    const confirmed = await api.post(`/api/v1/events/tickets/${held.body.data.id}/confirm`, undefined, { token: buyer.access });
    expect(confirmed.body.data.status).toBe('confirmed');

    const second = await createEvent(host, { capacity: 1, price: '20.00' });
    const slowTicket = (await book(slow, second.id, 'pm_card_authenticationRequired')).body.data;
    expect((await book(next, second.id, 'pm_card_visa')).body.data.status).toBe('waitlisted');
    await api.resolve(DataSource).query(`UPDATE event_tickets SET hold_expires_at = now() - interval '1 minute' WHERE id = $1`, [slowTicket.id]);
    // The next change to the event releases the hold; the first in line is charged and seated.
    expect((await book(buyer, second.id, 'pm_card_visa')).body.data).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
    expect((await event(next, second.id)).my_ticket.status).toBe('confirmed');
    expect((await ticketNotices(slow)).map((n) => n.title)).toEqual(['Seat released']);
    const late = await api.post(`/api/v1/events/tickets/${slowTicket.id}/confirm`, undefined, { token: slow.access });
    expect([late.status, late.body.code]).toEqual([409, 'EVENTS.PAYMENT_NOT_PENDING']);
  });

  it('cancelling an event cancels every ticket, tells the holders and refunds payments', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const otherHost = await verifiedProvider(api, admin, Role.Friend);
    const [paid, waiting] = await people(2);
    const created = await createEvent(host, { capacity: 1, price: '9.99' });
    const ticket = (await book(paid, created.id, 'pm_card_visa')).body.data;
    expect((await book(waiting, created.id, 'pm_card_visa')).body.data.status).toBe('waitlisted');

    expect((await api.delete(`/api/v1/events/${created.id}`, { token: otherHost.access })).status).toBe(404);
    expect((await api.delete(`/api/v1/events/${created.id}`, { token: paid.access })).status).toBe(403);
    const cancelled = await api.delete(`/api/v1/events/${created.id}`, { token: host.access });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', registered_count: 0, waitlist_count: 0 });
    expect((await payments(paid)).map((p) => [p.status, p.reference_id])).toEqual([['refunded', ticket.id]]);
    expect(await payments(waiting)).toEqual([]);
    for (const user of [paid, waiting]) expect((await ticketNotices(user)).map((n) => n.title)).toEqual(['Event cancelled']);
    expect((await event(paid, created.id)).my_ticket).toBeNull();
    const again = await api.delete(`/api/v1/events/${created.id}`, { token: host.access });
    expect([again.status, again.body.code]).toEqual([409, 'EVENTS.EVENT_CANCELLED']);
    expect((await book(paid, created.id, 'pm_card_visa')).body.code).toBe('EVENTS.EVENT_CANCELLED');
    expect((await api.patch(`/api/v1/events/${created.id}`, { title: 'Revived' }, { token: host.access })).body.code).toBe('EVENTS.EVENT_CANCELLED');
    const listed = await api.get(`/api/v1/events?status=cancelled&host_id=${host.id}`, { token: paid.access });
    expect(listed.body.data.map((e: any) => e.id)).toEqual([created.id]);
  });

  it('unknown and malformed ids: 404 or 400, never someone else’s data', async () => {
    const client = await registerUser(api);
    expect((await api.get(`/api/v1/events/${MISSING_ID}`, { token: client.access })).body.code).toBe('EVENTS.NOT_FOUND');
    expect((await api.get('/api/v1/events/not-a-uuid', { token: client.access })).status).toBe(400);
    expect((await api.get(`/api/v1/events/${MISSING_ID}/tickets/me`, { token: client.access })).body.code).toBe('EVENTS.NOT_FOUND');
    expect((await book(client, MISSING_ID)).body.code).toBe('EVENTS.NOT_FOUND');
    const badBook = await api.post('/api/v1/events/book', { event_id: 7, payment_method_id: 'pm_card_visa', quantity: 2 }, { token: client.access });
    expect([badBook.status, Object.keys(badBook.body.errors).sort()]).toEqual([400, ['event_id', 'quantity']]);
    expect((await api.post(`/api/v1/events/tickets/${MISSING_ID}/confirm`, undefined, { token: client.access })).body.code).toBe('EVENTS.TICKET_NOT_FOUND');
    expect((await api.delete(`/api/v1/events/${MISSING_ID}`, { token: admin.access })).body.code).toBe('EVENTS.NOT_FOUND');
  });

  it('a started event takes no bookings or cancellations', async () => {
    const host = await verifiedProvider(api, admin, Role.Friend);
    const [early, late] = await people(2);
    const created = await createEvent(host, { capacity: 5 });
    const ticket = (await book(early, created.id)).body.data;
    await api.resolve(DataSource).query(`UPDATE group_events SET starts_at = now() - interval '5 minutes' WHERE id = $1`, [created.id]);
    expect((await book(late, created.id)).body.code).toBe('EVENTS.EVENT_STARTED');
    expect((await api.delete(`/api/v1/events/tickets/${ticket.id}`, { token: early.access })).body.code).toBe('EVENTS.EVENT_STARTED');
    expect((await api.patch(`/api/v1/events/${created.id}`, { capacity: 6 }, { token: host.access })).body.code).toBe('EVENTS.EVENT_STARTED');
  });
});
