import { DataSource } from 'typeorm';
import { grantCare, revokeCare } from './support/care-team';
import { chatCast, openChat } from './support/chat';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

describe('goals', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api?.close();
  });

  const createGoal = async (user: TestUser, body: Record<string, unknown> = { title: 'Exercise regularly' }): Promise<any> => {
    const res = await api.post('/api/v1/goals', body, { token: user.access });
    expect(res.status).toBe(201);
    return res.body.data;
  };
  const stats = async (user: TestUser): Promise<unknown> => (await api.get('/api/v1/users/me/stats', { token: user.access })).body.data;

  it('creates, reads, lists, updates and deletes a goal', async () => {
    const user = await registerUser(api);
    const created = await createGoal(user, { title: '  Exercise regularly ', description: 'Exercise 3 times per week', target_date: '2025-12-31' });
    expect(created).toMatchObject({
      title: 'Exercise regularly',
      description: 'Exercise 3 times per week',
      target_date: '2025-12-31',
      status: 'active',
      completed_at: null,
      progress_count: 0,
      last_progress_at: null,
    });
    const read = await api.get(`/api/v1/goals/${created.id}`, { token: user.access });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(created);

    const second = await createGoal(user, { title: 'Sleep by eleven' });
    expect(second).toMatchObject({ description: null, target_date: null });
    const list = await api.get('/api/v1/goals?ordering=title', { token: user.access });
    expect(list.status).toBe(200);
    expect(list.body.data.map((g: any) => g.title)).toEqual(['Exercise regularly', 'Sleep by eleven']);
    expect(list.body.pagination).toMatchObject({ count: 2, page: 1 });
    const newest = await api.get('/api/v1/goals', { token: user.access });
    expect(newest.body.data.map((g: any) => g.id)).toEqual([second.id, created.id]);

    const patched = await api.patch(`/api/v1/goals/${created.id}`, { title: 'Run twice a week', description: null, target_date: null }, { token: user.access });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ title: 'Run twice a week', description: null, target_date: null });
    const dated = await api.patch(`/api/v1/goals/${created.id}`, { target_date: '2024-02-29' }, { token: user.access });
    expect(dated.body.data).toMatchObject({ title: 'Run twice a week', target_date: '2024-02-29' });

    const removed = await api.delete(`/api/v1/goals/${created.id}`, { token: user.access });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ success: true, data: null, message: 'Goal deleted.' });
    const gone = await api.get(`/api/v1/goals/${created.id}`, { token: user.access });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('GOALS.NOT_FOUND');
    expect((await api.delete(`/api/v1/goals/${created.id}`, { token: user.access })).status).toBe(404);
  });

  it('filters by status; complete and reopen are idempotent', async () => {
    const user = await registerUser(api);
    const goal = await createGoal(user);
    await createGoal(user, { title: 'Another' });
    const completed = await api.post(`/api/v1/goals/${goal.id}/complete`, undefined, { token: user.access });
    expect(completed.status).toBe(200);
    expect(completed.body.data.status).toBe('completed');
    expect(typeof completed.body.data.completed_at).toBe('string');
    const again = await api.post(`/api/v1/goals/${goal.id}/complete`, undefined, { token: user.access });
    expect(again.status).toBe(200);
    expect(again.body.data.completed_at).toBe(completed.body.data.completed_at);

    const done = await api.get('/api/v1/goals?status=completed', { token: user.access });
    expect(done.body.data.map((g: any) => g.id)).toEqual([goal.id]);
    const active = await api.get('/api/v1/goals?status=active', { token: user.access });
    expect(active.body.data.map((g: any) => g.title)).toEqual(['Another']);
    expect((await api.get('/api/v1/goals?status=paused', { token: user.access })).body.errors).toHaveProperty('status');

    const reopened = await api.post(`/api/v1/goals/${goal.id}/reopen`, undefined, { token: user.access });
    expect(reopened.body.data).toMatchObject({ status: 'active', completed_at: null });
    const reopenedAgain = await api.post(`/api/v1/goals/${goal.id}/reopen`, undefined, { token: user.access });
    expect(reopenedAgain.status).toBe(200);
    expect(reopenedAgain.body.data).toMatchObject({ status: 'active', completed_at: null });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const user = await registerUser(api);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: '' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{}, 'title'],
      [{ title: 'Fine', owner_id: user.id }, 'owner_id'],
      [{ title: 'Fine', target_date: '2026-02-30' }, 'target_date'],
      [{ title: 'Fine', target_date: '2026-13-01' }, 'target_date'],
      [{ title: 'Fine', target_date: '2026-02-03T10:00:00Z' }, 'target_date'],
      [{ title: 'Fine', target_date: null }, 'target_date'],
      [{ title: 'Fine', description: 'x'.repeat(2001) }, 'description'],
      [{ title: 'Fine', status: 'completed' }, 'status'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/v1/goals', body, { token: user.access });
      expect([JSON.stringify(body).slice(0, 60), res.status, res.body.code]).toEqual([JSON.stringify(body).slice(0, 60), 400, 'COMMON.VALIDATION_FAILED']);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect((await api.get('/api/v1/goals', { token: user.access })).body.pagination.count).toBe(0);

    const goal = await createGoal(user);
    for (const [body, field] of [
      [{ title: '' }, 'title'],
      [{ title: null }, 'title'],
      [{ target_date: '2026-02-30' }, 'target_date'],
      [{ progress_count: 5 }, 'progress_count'],
    ] as Array<[Record<string, unknown>, string]>) {
      const res = await api.patch(`/api/v1/goals/${goal.id}`, body, { token: user.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
    for (const [body, field] of [
      [{ content: 'Walked', mood_rating: 11 }, 'mood_rating'],
      [{ content: 'Walked', mood_rating: 0 }, 'mood_rating'],
      [{ content: 'Walked', mood_rating: 7.5 }, 'mood_rating'],
      [{ content: 'Walked', mood_rating: '8' }, 'mood_rating'],
      [{ content: '' }, 'content'],
      [{ content: 'x'.repeat(2001) }, 'content'],
      [{ content: 'Walked', extra: true }, 'extra'],
    ] as Array<[Record<string, unknown>, string]>) {
      const res = await api.post(`/api/v1/goals/${goal.id}/progress`, body, { token: user.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
    const unchanged = await api.get(`/api/v1/goals/${goal.id}`, { token: user.access });
    expect(unchanged.body.data).toEqual(goal);
    expect((await api.get(`/api/v1/goals/${goal.id}/progress`, { token: user.access })).body.pagination.count).toBe(0);
    expect((await api.get('/api/v1/goals/not-a-uuid', { token: user.access })).body.errors).toHaveProperty('id');
  });

  it('adds progress entries (encrypted at rest), listed newest first, counted on the goal', async () => {
    const user = await registerUser(api);
    const goal = await createGoal(user);
    const first = await api.post(`/api/v1/goals/${goal.id}/progress`, { content: 'Completed 3 workouts this week', mood_rating: 8 }, { token: user.access });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ goal_id: goal.id, content: 'Completed 3 workouts this week', mood_rating: 8 });
    const second = await api.post(`/api/v1/goals/${goal.id}/progress`, { content: 'Rested' }, { token: user.access });
    expect(second.body.data.mood_rating).toBeNull();

    const list = await api.get(`/api/v1/goals/${goal.id}/progress`, { token: user.access });
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: any) => p.content)).toEqual(['Rested', 'Completed 3 workouts this week']);
    expect(list.body.pagination.count).toBe(2);
    const paged = await api.get(`/api/v1/goals/${goal.id}/progress?page_size=1&page=2`, { token: user.access });
    expect(paged.body.data.map((p: any) => p.id)).toEqual([first.body.data.id]);

    const after = (await api.get(`/api/v1/goals/${goal.id}`, { token: user.access })).body.data;
    expect(after.progress_count).toBe(2);
    expect(after.last_progress_at).toBe(second.body.data.created_at);

    const rows: Array<{ content: string }> = await api.resolve(DataSource).query('SELECT content FROM goal_progress WHERE goal_id = $1', [goal.id]);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.content.startsWith('enc1.')).toBe(true);
      expect(row.content).not.toContain('workouts');
      expect(row.content).not.toContain('Rested');
    }

    // Deleting the goal removes its entries too.
    expect((await api.delete(`/api/v1/goals/${goal.id}`, { token: user.access })).status).toBe(200);
    expect(await api.resolve(DataSource).query('SELECT id FROM goal_progress WHERE goal_id = $1', [goal.id])).toEqual([]);
  });

  it("answers 404 for another user's goal on every id route, and changes nothing", async () => {
    const owner = await registerUser(api);
    const other = await registerUser(api);
    const goal = await createGoal(owner, { title: 'Mine', description: 'private' });
    await api.post(`/api/v1/goals/${goal.id}/progress`, { content: 'secret progress' }, { token: owner.access });
    const attempts = [
      api.get(`/api/v1/goals/${goal.id}`, { token: other.access }),
      api.patch(`/api/v1/goals/${goal.id}`, { title: 'Theirs' }, { token: other.access }),
      api.delete(`/api/v1/goals/${goal.id}`, { token: other.access }),
      api.post(`/api/v1/goals/${goal.id}/complete`, undefined, { token: other.access }),
      api.post(`/api/v1/goals/${goal.id}/reopen`, undefined, { token: other.access }),
      api.post(`/api/v1/goals/${goal.id}/progress`, { content: 'x' }, { token: other.access }),
      api.get(`/api/v1/goals/${goal.id}/progress`, { token: other.access }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect([res.status, res.body.code]).toEqual([404, 'GOALS.NOT_FOUND']);
      expect(res.text).not.toContain('secret');
    }
    const mine = (await api.get(`/api/v1/goals/${goal.id}`, { token: owner.access })).body.data;
    expect(mine).toMatchObject({ title: 'Mine', status: 'active', progress_count: 1 });
    expect((await api.get('/api/v1/goals', { token: other.access })).body.pagination.count).toBe(0);
    // A missing id answers exactly the same.
    const missing = await api.get('/api/v1/goals/00000000-0000-4000-a000-000000000000', { token: other.access });
    expect([missing.status, missing.body.code]).toEqual([404, 'GOALS.NOT_FOUND']);
  });

  it('profile stats count goals set and completed exactly', async () => {
    const user = await registerUser(api);
    const bystander = await registerUser(api);
    await createGoal(bystander);
    expect(await stats(user)).toEqual({ goals_set: 0, goals_completed: 0, total_appointments: 0, completed_appointments: 0 });
    const a = await createGoal(user, { title: 'A' });
    const b = await createGoal(user, { title: 'B' });
    const c = await createGoal(user, { title: 'C' });
    expect(await stats(user)).toMatchObject({ goals_set: 3, goals_completed: 0 });
    await api.post(`/api/v1/goals/${a.id}/complete`, undefined, { token: user.access });
    await api.post(`/api/v1/goals/${b.id}/complete`, undefined, { token: user.access });
    await api.post(`/api/v1/goals/${b.id}/complete`, undefined, { token: user.access });
    expect(await stats(user)).toMatchObject({ goals_set: 3, goals_completed: 2 });
    await api.post(`/api/v1/goals/${a.id}/reopen`, undefined, { token: user.access });
    expect(await stats(user)).toMatchObject({ goals_set: 3, goals_completed: 1 });
    await api.delete(`/api/v1/goals/${b.id}`, { token: user.access });
    expect(await stats(user)).toMatchObject({ goals_set: 2, goals_completed: 0 });
    await api.delete(`/api/v1/goals/${c.id}`, { token: user.access });
    expect(await stats(user)).toMatchObject({ goals_set: 1, goals_completed: 0 });
    expect(await stats(bystander)).toMatchObject({ goals_set: 1, goals_completed: 0 });
    // The static route does not collide with GET /users/:id.
    const profile = await api.get(`/api/v1/users/${bystander.id}`, { token: user.access });
    expect(profile.status).toBe(200);
    expect((await api.get('/api/v1/users/me/stats')).status).toBe(401);
  });

  it("shares a client's goals with a care-team therapist holding the goals scope, read-only, until revoked", async () => {
    const { therapist, patient: client, stranger } = await chatCast(api);
    const goal = await createGoal(client, { title: 'Walk daily' });
    await api.post(`/api/v1/goals/${goal.id}/progress`, { content: 'Walked 20 minutes', mood_rating: 6 }, { token: client.access });
    const strangerGoal = await createGoal(stranger, { title: 'Not shared' });
    const goalsUrl = `/api/v1/clients/${client.id}/goals`;
    const progressUrl = `/api/v1/clients/${client.id}/goals/${goal.id}/progress`;

    // No grant yet (not even a chat): 404, like an unknown client.
    for (const url of [goalsUrl, progressUrl]) {
      const res = await api.get(url, { token: therapist.access });
      expect([res.status, res.body.code]).toEqual([404, 'GOALS.NOT_FOUND']);
    }
    await openChat(api, client, therapist);
    const moodOnly = await grantCare(api, client, therapist, ['mood']);
    expect((await api.get(goalsUrl, { token: therapist.access })).status).toBe(404);
    await revokeCare(api, client, moodOnly);

    const grantId = await grantCare(api, client, therapist, ['goals']);
    const list = await api.get(goalsUrl, { token: therapist.access });
    expect(list.status).toBe(200);
    expect(list.body.data.map((g: any) => g.id)).toEqual([goal.id]);
    const progress = await api.get(progressUrl, { token: therapist.access });
    expect(progress.status).toBe(200);
    expect(progress.body.data).toMatchObject([{ content: 'Walked 20 minutes', mood_rating: 6 }]);
    const audited: unknown[] = await api
      .resolve(DataSource)
      .query(`SELECT id FROM audit_log WHERE action = 'care.shared_data_read' AND actor_id = $1`, [therapist.id]);
    expect(audited.length).toBeGreaterThanOrEqual(2);

    // Another user's goal through this client's path, a stranger, and writes: all refused.
    const foreign = await api.get(`/api/v1/clients/${client.id}/goals/${strangerGoal.id}/progress`, { token: therapist.access });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'GOALS.NOT_FOUND']);
    expect((await api.get(goalsUrl, { token: stranger.access })).status).toBe(404);
    expect((await api.get(`/api/v1/goals/${goal.id}`, { token: therapist.access })).status).toBe(404);
    expect((await api.post(`/api/v1/clients/${client.id}/goals`, { title: 'x' }, { token: therapist.access })).status).toBe(404);

    await revokeCare(api, client, grantId);
    for (const url of [goalsUrl, progressUrl]) {
      const res = await api.get(url, { token: therapist.access });
      expect([res.status, res.body.code]).toEqual([404, 'GOALS.NOT_FOUND']);
    }
  });
});
