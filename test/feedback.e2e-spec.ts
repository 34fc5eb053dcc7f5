import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { book, bookableProvider, hoursFromNow } from './support/providers';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('feedback: one rating per completed session, the provider’s average, visibility and filters', () => {
  let api: TestApp;
  let admin: TestUser;
  let db: DataSource;
  /** Each booking of this file gets its own hour, so no two overlap for a shared client or provider. */
  let nextHour = 30;

  beforeAll(async () => {
    api = await startTestApp();
    admin = await createUserWithRole(api, Role.Admin);
    db = api.resolve(DataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  const feedbackCount = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM session_feedback'))[0].n;

  /** A session booked by `client` with `provider`, upcoming. */
  const upcoming = async (client: TestUser, provider: TestUser): Promise<string> => {
    const res = await book(api, client, { friend_id: provider.id, type: 'text', scheduled_at: hoursFromNow(nextHour++), duration_minutes: 30 });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };

  /** A session that started `minutesAgo` minutes ago and that the provider completed. */
  const completed = async (client: TestUser, provider: TestUser, minutesAgo = 60): Promise<string> => {
    const id = await upcoming(client, provider);
    await db.query(
      `UPDATE care_sessions SET starts_at = now() - make_interval(mins => $2), ends_at = now() - make_interval(mins => $2) + interval '30 minutes',
              busy_until = now() - make_interval(mins => $2) + interval '30 minutes' WHERE id = $1`,
      [id, minutesAgo],
    );
    const done = await api.post(`/api/v1/sessions/${id}/complete`, undefined, { token: provider.access });
    expect(done.body.data).toMatchObject({ status: 'completed' });
    return id;
  };

  const give = (client: TestUser, body: Record<string, unknown>) => api.post('/api/v1/feedback', body, { token: client.access });

  it('the client of a completed session gives feedback once; the comment is encrypted at rest; the provider’s rating is exact', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const sessions = [await completed(client, provider, 300), await completed(client, provider, 200), await completed(client, provider, 100)];

    const first = await give(client, { session_id: sessions[0], rating: 5, comment: 'Excellent session, very helpful!', categories: ['helpful', 'professional', 'engaging'] });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      session_id: sessions[0],
      provider_id: provider.id,
      client_id: client.id,
      rating: 5,
      comment: 'Excellent session, very helpful!',
      categories: ['helpful', 'professional', 'engaging'],
    });
    expect(Date.parse(first.body.data.created_at)).toBeGreaterThan(Date.now() - 60_000);
    const [stored] = await db.query('SELECT comment_encrypted FROM session_feedback WHERE id = $1', [first.body.data.id]);
    expect(stored.comment_encrypted).toMatch(/^enc1\./);
    expect(stored.comment_encrypted).not.toContain('helpful');

    const again = await give(client, { session_id: sessions[0], rating: 1 });
    expect([again.status, again.body.code]).toEqual([409, 'FEEDBACK.ALREADY_GIVEN']);

    expect((await give(client, { session_id: sessions[1], rating: 4 })).status).toBe(201);
    expect((await give(client, { session_id: sessions[2], rating: 4, categories: [] })).status).toBe(201);

    const profile = await api.get(`/api/v1/providers/${provider.id}`, { token: client.access });
    // 5, 4, 4: 13 / 3 = 4.33; the refused second submit counted nothing.
    expect(profile.body.data).toMatchObject({ rating_count: 3, rating_average: 4.33 });
  });

  it('concurrent submits: one per session wins, and every distinct session counts once in the rating', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const ids = [await completed(client, provider, 400), await completed(client, provider, 300), await completed(client, provider, 200), await completed(client, provider, 100)];
    const ratings = [5, 3, 2, 4];
    const same = await Promise.all([1, 2, 3].map(() => give(client, { session_id: ids[0], rating: 5 })));
    expect(same.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const others = await Promise.all(ids.slice(1).map((id, i) => give(client, { session_id: id, rating: ratings[i + 1] })));
    expect(others.map((r) => r.status)).toEqual([201, 201, 201]);
    const profile = await api.get(`/api/v1/providers/${provider.id}`, { token: client.access });
    // 5 + 3 + 2 + 4 = 14 over 4.
    expect(profile.body.data).toMatchObject({ rating_count: 4, rating_average: 3.5 });
  });

  it('refuses sessions that are not yours or not completed, with their codes, writing nothing', async () => {
    const client = await registerUser(api);
    const other = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const open = await upcoming(client, provider);
    const cancelled = await upcoming(client, provider);
    expect((await api.delete(`/api/v1/sessions/${cancelled}`, { token: client.access })).status).toBe(200);
    const done = await completed(client, provider);
    const before = await feedbackCount();

    const cases: Array<[TestUser, string, number, string]> = [
      [client, open, 409, 'FEEDBACK.SESSION_NOT_COMPLETED'],
      [client, cancelled, 409, 'FEEDBACK.SESSION_NOT_COMPLETED'],
      [other, done, 404, 'FEEDBACK.SESSION_NOT_FOUND'],
      // The provider of the session is not its client.
      [provider, done, 404, 'FEEDBACK.SESSION_NOT_FOUND'],
      [client, MISSING, 404, 'FEEDBACK.SESSION_NOT_FOUND'],
    ];
    for (const [who, sessionId, status, code] of cases) {
      const res = await give(who, { session_id: sessionId, rating: 4 });
      expect([sessionId, res.status, res.body.code]).toEqual([sessionId, status, code]);
    }
    expect(await feedbackCount()).toBe(before);
    expect((await api.get(`/api/v1/providers/${provider.id}`, { token: client.access })).body.data).toMatchObject({ rating_count: 0, rating_average: null });
  });

  it('validation: 400 naming the field, server fields refused, nothing written', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const done = await completed(client, provider);
    const before = await feedbackCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ session_id: done, rating: 0 }, 'rating'],
      [{ session_id: done, rating: 6 }, 'rating'],
      [{ session_id: done, rating: 4.5 }, 'rating'],
      [{ session_id: done, rating: '5' }, 'rating'],
      [{ session_id: done }, 'rating'],
      [{ rating: 5 }, 'session_id'],
      [{ session_id: 'not-a-uuid', rating: 5 }, 'session_id'],
      [{ session_id: done, rating: 5, categories: ['helpful', 'rude'] }, 'categories'],
      [{ session_id: done, rating: 5, categories: ['helpful', 'helpful'] }, 'categories'],
      [{ session_id: done, rating: 5, categories: 'helpful' }, 'categories'],
      [{ session_id: done, rating: 5, comment: 'x'.repeat(2001) }, 'comment'],
      [{ session_id: done, rating: 5, comment: null }, 'comment'],
      [{ session_id: done, rating: 5, provider_id: provider.id }, 'provider_id'],
      [{ session_id: done, rating: 5, created_at: new Date().toISOString() }, 'created_at'],
      [{ session_id: done, rating: 5, client_id: client.id }, 'client_id'],
    ];
    for (const [body, field] of cases) {
      const res = await give(client, body);
      expect([field, res.status, res.body.code]).toEqual([field, 400, 'COMMON.VALIDATION_FAILED']);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect(await feedbackCount()).toBe(before);
    expect((await api.get(`/api/v1/providers/${provider.id}`, { token: client.access })).body.data.rating_count).toBe(0);
  });

  it('visibility: the provider sees feedback on their sessions, the client what they gave, staff all; others 404', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const otherProvider = await bookableProvider(api, admin);
    const stranger = await registerUser(api);
    const mine = (await give(client, { session_id: await completed(client, provider), rating: 3, comment: 'ok' })).body.data;
    const elsewhere = (await give(client, { session_id: await completed(client, otherProvider), rating: 5 })).body.data;

    const ids = async (user: TestUser, query = ''): Promise<string[]> => {
      const res = await api.get(`/api/v1/feedback${query}`, { token: user.access });
      expect(res.status).toBe(200);
      return res.body.data.map((f: { id: string }) => f.id);
    };
    expect(await ids(provider)).toEqual([mine.id]);
    expect(await ids(otherProvider)).toEqual([elsewhere.id]);
    expect((await ids(client)).sort()).toEqual([mine.id, elsewhere.id].sort());
    expect(await ids(stranger)).toEqual([]);
    expect(await ids(admin, `?provider_id=${provider.id}`)).toEqual([mine.id]);
    expect(await ids(admin, `?session_id=${elsewhere.session_id}`)).toEqual([elsewhere.id]);

    const asProvider = await api.get(`/api/v1/feedback/${mine.id}`, { token: provider.access });
    expect(asProvider.body.data).toMatchObject({ id: mine.id, rating: 3, comment: 'ok' });
    expect((await api.get(`/api/v1/feedback/${mine.id}`, { token: client.access })).status).toBe(200);
    expect((await api.get(`/api/v1/feedback/${mine.id}`, { token: admin.access })).status).toBe(200);
    for (const [who, id] of [
      [otherProvider, mine.id],
      [stranger, mine.id],
      [provider, elsewhere.id],
      [client, MISSING],
    ] as Array<[TestUser, string]>) {
      const res = await api.get(`/api/v1/feedback/${id}`, { token: who.access });
      expect([res.status, res.body.code]).toEqual([404, 'FEEDBACK.NOT_FOUND']);
    }
    expect((await api.get('/api/v1/feedback')).status).toBe(401);
  });

  it('filters: session_id, rating_min, date_after, date_before; bad values are 400', async () => {
    const client = await registerUser(api);
    const provider = await bookableProvider(api, admin);
    const low = (await give(client, { session_id: await completed(client, provider, 300), rating: 2 })).body.data;
    const high = (await give(client, { session_id: await completed(client, provider, 200), rating: 5 })).body.data;
    await db.query(`UPDATE session_feedback SET created_at = now() - interval '3 days' WHERE id = $1`, [low.id]);
    const ids = async (query: string): Promise<string[]> => {
      const res = await api.get(`/api/v1/feedback?${query}`, { token: provider.access });
      expect([query, res.status]).toEqual([query, 200]);
      return res.body.data.map((f: { id: string }) => f.id);
    };
    expect(await ids('')).toEqual([high.id, low.id]);
    expect(await ids('ordering=rating')).toEqual([low.id, high.id]);
    expect(await ids('rating_min=3')).toEqual([high.id]);
    expect(await ids(`session_id=${low.session_id}`)).toEqual([low.id]);
    const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
    expect(await ids(`date_after=${dayAgo}`)).toEqual([high.id]);
    expect(await ids(`date_before=${dayAgo}`)).toEqual([low.id]);
    const page = await api.get('/api/v1/feedback?page_size=1', { token: provider.access });
    expect(page.body.pagination).toMatchObject({ count: 2 });
    expect(page.body.data).toHaveLength(1);
    for (const [query, field] of [
      ['rating_min=0', 'rating_min'],
      ['rating_min=6', 'rating_min'],
      ['session_id=nope', 'session_id'],
      ['date_after=yesterday', 'date_after'],
      ['ordering=comment', 'ordering'],
    ]) {
      const res = await api.get(`/api/v1/feedback?${query}`, { token: provider.access });
      expect([query, res.status]).toEqual([query, 400]);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
