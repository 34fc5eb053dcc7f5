import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

/**
 * The notifications list (one prepared statement per direction, every filter a parameter):
 * each filter, both orders, the total, pages past the end, polling with last_id, and
 * nobody else's notifications.
 */
describe('notifications list', () => {
  let api: TestApp;
  let db: DataSource;
  let user: TestUser;
  let other: TestUser;
  /** The user's notifications, oldest first. */
  let ids: string[];

  const list = (query: string, token = user.access) => api.get(`/api/v1/notifications${query}`, { token });
  const idsOf = (body: any): string[] => body.data.map((n: any) => n.id);

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
    user = await registerUser(api);
    other = await registerUser(api);
    // Six of the user's, one a day from 2026-01-01: odd ones read; titles say what they are.
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO notifications (user_id, title, message, notification_type, read, created_at)
       SELECT $1, CASE WHEN d = 3 THEN '50% off_sale \\ today' ELSE 'Session reminder ' || d END, 'Message ' || d,
              CASE WHEN d <= 2 THEN 'session' ELSE 'system' END, d % 2 = 1, timestamptz '2026-01-01T00:00:00Z' + make_interval(days => d - 1)
         FROM generate_series(1, 6) AS d ORDER BY d RETURNING id`,
      [user.id],
    );
    ids = rows.map((r) => r.id);
    await db.query(`INSERT INTO notifications (user_id, title, message, notification_type) VALUES ($1, 'Not yours', 'Hidden', 'system')`, [other.id]);
  });
  afterAll(() => api?.close());

  it('lists only your own, newest first by default, with the total', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual([...ids].reverse());
    expect(res.body.pagination).toMatchObject({ count: 6, page: 1, total_pages: 1, next: null, previous: null });
    expect(res.body.data[0]).toEqual({
      id: ids[5],
      title: 'Session reminder 6',
      message: 'Message 6',
      notification_type: 'system',
      related_id: null,
      count: 1,
      read: false,
      created_at: '2026-01-06T00:00:00.000Z',
    });
  });

  it('orders ascending on request and pages with the total on every page', async () => {
    const first = await list('?ordering=created_at&page_size=4');
    expect(idsOf(first.body)).toEqual(ids.slice(0, 4));
    expect(first.body.pagination).toMatchObject({ count: 6, page: 1, page_size: 4, total_pages: 2 });
    const second = await list('?ordering=created_at&page_size=4&page=2');
    expect(idsOf(second.body)).toEqual(ids.slice(4));
    expect(second.body.pagination).toMatchObject({ count: 6, page: 2, total_pages: 2, next: null });
  });

  it('a page past the end is empty and still carries the total', async () => {
    const res = await list('?page=5&page_size=4&unread=true');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.pagination).toMatchObject({ count: 3, page: 5, total_pages: 1 });
  });

  it('filters by read state, type, search (its % and _ taken literally) and date range, combined', async () => {
    expect(idsOf((await list('?unread=true')).body)).toEqual([ids[5], ids[3], ids[1]]);
    expect(idsOf((await list('?unread=false')).body)).toEqual([ids[4], ids[2], ids[0]]);
    expect(idsOf((await list('?notification_type=session')).body)).toEqual([ids[1], ids[0]]);
    expect(idsOf((await list(`?search=${encodeURIComponent('50% OFF_')}`)).body)).toEqual([ids[2]]);
    expect(idsOf((await list(`?search=${encodeURIComponent('0%')}`)).body)).toEqual([ids[2]]);
    expect((await list(`?search=${encodeURIComponent('%')}&notification_type=session`)).body.data).toEqual([]);
    expect(idsOf((await list(`?search=${encodeURIComponent('\\')}`)).body)).toEqual([ids[2]]);
    expect(idsOf((await list('?search=message 4')).body)).toEqual([ids[3]]);
    expect(idsOf((await list('?date_after=2026-01-02T00:00:00Z&date_before=2026-01-04T00:00:00Z')).body)).toEqual([ids[2], ids[1]]);
    const combined = await list('?unread=true&notification_type=system&date_after=2026-01-04T00:00:00Z');
    expect(idsOf(combined.body)).toEqual([ids[5], ids[3]]);
    expect(combined.body.pagination.count).toBe(2);
  });

  it('polls with last_id: only newer ones; someone else’s notification as last_id is a 404', async () => {
    expect(idsOf((await list(`?last_id=${ids[3]}`)).body)).toEqual([ids[5], ids[4]]);
    expect(idsOf((await list(`?last_id=${ids[3]}&ordering=created_at`)).body)).toEqual([ids[4], ids[5]]);
    const [foreign] = await db.query('SELECT id FROM notifications WHERE user_id = $1', [other.id]);
    const res = await list(`?last_id=${foreign.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOTIFICATIONS.NOT_FOUND', errors: { last_id: ['unknown notification'] } });
  });

  it('counts unread ones, only yours', async () => {
    expect((await api.get('/api/v1/notifications/unread-count', { token: user.access })).body.data).toEqual({ count: 3 });
    expect((await api.get('/api/v1/notifications/unread-count', { token: other.access })).body.data).toEqual({ count: 1 });
  });

  it('refuses bad list parameters with the field named, before reading anything', async () => {
    const bad = await list('?ordering=title&page_size=0&unread=maybe');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['ordering', 'page_size', 'unread']);
    expect((await list('?last_id=not-a-uuid')).status).toBe(400);
    expect((await list('?notification_type=nope')).status).toBe(400);
  });
});
