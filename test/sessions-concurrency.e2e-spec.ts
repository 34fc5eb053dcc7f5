import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { book, bookableProvider, hoursFromNow } from './support/providers';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

// The exclusion constraints hold these, not a read before the write. On real PostgreSQL the
// requests race in parallel transactions; the embedded database runs one transaction at a
// time, where the same assertions hold (every later insert meets the committed winner).
describe('sessions under concurrency', () => {
  let api: TestApp;
  let admin: TestUser;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp({ env: { DATABASE_POOL_SIZE: '20' } });
    admin = await createUserWithRole(api, Role.Admin);
    db = api.resolve(DataSource);
  });
  afterAll(() => api?.close());

  it('50 clients booking the same slot: exactly one session, 49 SESSIONS.SLOT_TAKEN', async () => {
    const provider = await bookableProvider(api, admin, { profile: { buffer_minutes: 10 } });
    const clients = await Promise.all(Array.from({ length: 50 }, () => registerUser(api)));
    const scheduled = hoursFromNow(30);
    // Half start at the slot, half 30 minutes in: every pair overlaps.
    const results = await Promise.all(
      clients.map((client, i) =>
        book(api, client, { friend_id: provider.id, type: 'video', scheduled_at: new Date(Date.parse(scheduled) + (i % 2) * 30 * 60_000).toISOString(), duration_minutes: 60 }),
      ),
    );
    const statuses = results.map((r) => (r.status === 201 ? 'booked' : `${r.status} ${r.body.code}`));
    expect(statuses.filter((s) => s === 'booked')).toHaveLength(1);
    expect(statuses.filter((s) => s === '409 SESSIONS.SLOT_TAKEN')).toHaveLength(49);
    const [row] = await db.query(`SELECT count(*)::int AS n FROM care_sessions WHERE provider_id = $1`, [provider.id]);
    expect(row.n).toBe(1);
    // The losers left nothing behind: no chat opened for them.
    const winner = results.find((r) => r.status === 201)!.body.data;
    const [chats] = await db.query(`SELECT count(*)::int AS n FROM conversation_participants WHERE user_id = $1`, [provider.id]);
    expect(chats.n).toBe(1);
    expect(winner.chat_id).toEqual(expect.any(String));
  });

  it('one client booking overlapping sessions with two providers at once: one wins, the other SESSIONS.CLIENT_OVERLAP', async () => {
    const client = await registerUser(api);
    const first = await bookableProvider(api, admin);
    const second = await bookableProvider(api, admin);
    for (let round = 0; round < 10; round++) {
      const at = hoursFromNow(30 + round * 2);
      const [a, b] = await Promise.all([
        book(api, client, { friend_id: first.id, type: 'text', scheduled_at: at, duration_minutes: 60 }),
        book(api, client, { friend_id: second.id, type: 'text', scheduled_at: new Date(Date.parse(at) + 15 * 60_000).toISOString(), duration_minutes: 60 }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect((a.status === 409 ? a : b).body.code).toBe('SESSIONS.CLIENT_OVERLAP');
    }
    const [row] = await db.query(`SELECT count(*)::int AS n FROM care_sessions WHERE client_id = $1`, [client.id]);
    expect(row.n).toBe(10);
  });
});
