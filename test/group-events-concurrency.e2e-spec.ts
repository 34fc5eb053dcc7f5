import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { verifiedProvider } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Capacity and the waitlist under concurrent requests. On real PostgreSQL the bookings and
 * cancellations race for the event row lock; the embedded database runs one transaction at
 * a time, so there the same test checks the same invariants without the race.
 */
describe('group events under concurrency', () => {
  let api: TestApp;
  let admin: TestUser;
  let host: TestUser;

  beforeAll(async () => {
    api = await startTestApp({ env: { DATABASE_POOL_SIZE: '20' } });
    admin = await createUserWithRole(api, Role.Admin);
    host = await verifiedProvider(api, admin, Role.Friend);
  });
  afterAll(() => api?.close());

  const createEvent = async (fields: Record<string, unknown>): Promise<string> => {
    const res = await api.post('/api/v1/events', { title: 'Crowded Circle', starts_at: inDays(5), location: 'Hall A', ...fields }, { token: host.access });
    if (res.status !== 201) throw new Error(`create event failed: ${res.status} ${res.text}`);
    return res.body.data.id as string;
  };
  const people = (n: number): Promise<TestUser[]> => pool(Array.from({ length: n }, () => () => registerUser(api)), 10);
  const book = (user: TestUser, eventId: string, paymentMethodId?: string) =>
    api.post('/api/v1/events/book', { event_id: eventId, ...(paymentMethodId ? { payment_method_id: paymentMethodId } : {}) }, { token: user.access });
  const seatNotices = async (user: TestUser): Promise<number> =>
    (await api.get('/api/v1/notifications?notification_type=event_ticket', { token: user.access })).body.data.filter((n: any) => n.title === 'You have a seat').length;
  const eventRow = async (eventId: string): Promise<{ registered_count: number; waitlist_count: number }> =>
    (await api.resolve(DataSource).query('SELECT registered_count, waitlist_count FROM group_events WHERE id = $1', [eventId]))[0];

  it('100 concurrent buyers of 10 seats: exactly 10 confirmed and 90 waitlisted at 1..90; concurrent cancellations promote in line order, once each', async () => {
    const eventId = await createEvent({ capacity: 10 });
    const buyers = await people(100);
    const results = await Promise.all(buyers.map((b) => book(b, eventId)));
    expect(results.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    const tickets = results.map((r, i) => ({ user: buyers[i], ticket: r.body.data }));
    const confirmed = tickets.filter((t) => t.ticket.status === 'confirmed');
    const waiting = tickets.filter((t) => t.ticket.status === 'waitlisted').sort((a, b) => a.ticket.waitlist_position - b.ticket.waitlist_position);
    expect(confirmed).toHaveLength(10);
    expect(waiting.map((t) => t.ticket.waitlist_position)).toEqual(range(1, 90));
    expect(await eventRow(eventId)).toEqual({ registered_count: 10, waitlist_count: 90 });
    const [stats] = await api.resolve(DataSource).query(
      `SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
              count(DISTINCT queue_seq)::int AS distinct_seq, count(DISTINCT user_id)::int AS people
         FROM event_tickets WHERE event_id = $1`,
      [eventId],
    );
    expect(stats).toEqual({ confirmed: 10, waitlisted: 90, distinct_seq: 90, people: 100 });

    // 5 seat holders and the last 3 in line cancel at once.
    const leaving = [...confirmed.slice(0, 5), ...waiting.slice(87)];
    const cancels = await Promise.all(leaving.map((t) => api.delete(`/api/v1/events/tickets/${t.ticket.id}`, { token: t.user.access })));
    expect(cancels.map((r) => r.status)).toEqual(leaving.map(() => 200));
    expect(await eventRow(eventId)).toEqual({ registered_count: 10, waitlist_count: 82 });
    // Exactly the first 5 in line moved up, each told once; the rest of the line closed up in order.
    const after = await Promise.all(waiting.slice(0, 87).map(async (t) => (await api.get(`/api/v1/events/${eventId}/tickets/me`, { token: t.user.access })).body.data));
    expect(after.slice(0, 5).map((t) => t.status)).toEqual(Array(5).fill('confirmed'));
    expect(after.slice(5).map((t) => [t.status, t.waitlist_position])).toEqual(range(1, 82).map((p) => ['waitlisted', p]));
    expect(await Promise.all(waiting.slice(0, 6).map((t) => seatNotices(t.user)))).toEqual([1, 1, 1, 1, 1, 0]);

    // A seat for everyone left: the whole line moves up at once, in order.
    const grown = await api.patch(`/api/v1/events/${eventId}`, { capacity: 92 }, { token: host.access });
    expect(grown.body.data).toMatchObject({ registered_count: 92, waitlist_count: 0 });
  }, 240_000);

  it('the same user booking 10 times at once gets one ticket', async () => {
    const eventId = await createEvent({ capacity: 3 });
    const [user] = await people(1);
    const results = await Promise.all(Array.from({ length: 10 }, () => book(user, eventId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(9).fill('EVENTS.ALREADY_BOOKED'));
    expect(await eventRow(eventId)).toEqual({ registered_count: 1, waitlist_count: 0 });
  });

  it('paid seats under concurrency: charged once per seat, waitlisted buyers only when promoted', async () => {
    const eventId = await createEvent({ capacity: 5, price: '3.00' });
    const buyers = await people(30);
    const results = await Promise.all(buyers.map((b) => book(b, eventId, 'pm_card_visa')));
    expect(results.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    const seated = results.map((r, i) => ({ user: buyers[i], ticket: r.body.data })).filter((t) => t.ticket.status === 'confirmed');
    const waiting = results
      .map((r, i) => ({ user: buyers[i], ticket: r.body.data }))
      .filter((t) => t.ticket.status === 'waitlisted')
      .sort((a, b) => a.ticket.waitlist_position - b.ticket.waitlist_position);
    expect([seated.length, waiting.length]).toEqual([5, 25]);
    const paymentsOf = async (eventTickets: string[]) =>
      api.resolve(DataSource).query(`SELECT reference_id, status FROM payments WHERE purpose = 'event_ticket' AND reference_id = ANY($1) ORDER BY reference_id`, [eventTickets]);
    expect((await paymentsOf(seated.map((t) => t.ticket.id))).map((p: any) => p.status)).toEqual(Array(5).fill('succeeded'));
    expect(await paymentsOf(waiting.map((t) => t.ticket.id))).toEqual([]);

    await Promise.all(seated.slice(0, 3).map((t) => api.delete(`/api/v1/events/tickets/${t.ticket.id}`, { token: t.user.access })));
    expect(await eventRow(eventId)).toEqual({ registered_count: 5, waitlist_count: 22 });
    expect((await paymentsOf(seated.slice(0, 3).map((t) => t.ticket.id))).map((p: any) => p.status)).toEqual(Array(3).fill('refunded'));
    const promoted = waiting.slice(0, 3).map((t) => t.ticket.id);
    expect((await paymentsOf(promoted)).map((p: any) => p.status)).toEqual(Array(3).fill('succeeded'));
    expect(await paymentsOf(waiting.slice(3).map((t) => t.ticket.id))).toEqual([]);
  }, 120_000);
});
