import { Role } from 'src/common/access/permissions';
import { DataSource } from 'typeorm';
import { grantCare, revokeCare } from './support/care-team';
import { openChat, verifiedProvider } from './support/chat';
import { ApiResponse, startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';

describe('screeners', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api?.close();
  });

  const submit = (user: TestUser, instrument: string, answers: unknown): Promise<ApiResponse> =>
    api.post(`/api/v1/screeners/${instrument}/responses`, { answers }, { token: user.access });
  const signalNotifications = async (user: TestUser): Promise<any[]> => {
    const res = await api.get('/api/v1/notifications?notification_type=safety_signal&page_size=100', { token: user.access });
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const db = (): DataSource => api.resolve(DataSource);

  it('lists PHQ-9 and GAD-7 with their published items and answers', async () => {
    const user = await registerUser(api);
    const res = await api.get('/api/v1/screeners', { token: user.access });
    expect(res.status).toBe(200);
    const [phq9, gad7] = res.body.data;
    expect(phq9).toMatchObject({ id: 'phq9', name: 'PHQ-9', max_score: 27 });
    expect(phq9.question).toBe('Over the last 2 weeks, how often have you been bothered by any of the following problems?');
    expect(phq9.items).toHaveLength(9);
    expect(phq9.items[0]).toEqual({ number: 1, text: 'Little interest or pleasure in doing things' });
    expect(phq9.items[8]).toEqual({ number: 9, text: 'Thoughts that you would be better off dead or of hurting yourself in some way' });
    expect(gad7).toMatchObject({ id: 'gad7', name: 'GAD-7', max_score: 21 });
    expect(gad7.items).toHaveLength(7);
    expect(gad7.items[0].text).toBe('Feeling nervous, anxious, or on edge');
    expect(gad7.items[6].text).toBe('Feeling afraid, as if something awful might happen');
    for (const instrument of [phq9, gad7]) {
      expect(instrument.answer_options).toEqual([
        { value: 0, label: 'Not at all' },
        { value: 1, label: 'Several days' },
        { value: 2, label: 'More than half the days' },
        { value: 3, label: 'Nearly every day' },
      ]);
    }
    expect(phq9.severity_bands.map((b: any) => b.severity)).toEqual(['minimal', 'mild', 'moderate', 'moderately_severe', 'severe']);
    expect((await api.get('/api/v1/screeners')).status).toBe(401);
  });

  it('scores answers into the published severity bands', async () => {
    const user = await registerUser(api);
    const cases: Array<[string, number[], number, string]> = [
      ['phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 'minimal'],
      ['phq9', [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 'minimal'],
      ['phq9', [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, 'mild'],
      ['phq9', [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, 'moderate'],
      ['phq9', [3, 3, 3, 3, 2, 0, 0, 0, 0], 14, 'moderate'],
      ['phq9', [3, 3, 3, 3, 3, 0, 0, 0, 0], 15, 'moderately_severe'],
      ['phq9', [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, 'severe'],
      ['phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0], 24, 'severe'],
      ['gad7', [0, 0, 0, 0, 0, 0, 0], 0, 'minimal'],
      ['gad7', [3, 3, 3, 0, 0, 0, 0], 9, 'mild'],
      ['gad7', [2, 2, 2, 2, 2, 0, 0], 10, 'moderate'],
      ['gad7', [3, 3, 3, 3, 2, 0, 0], 14, 'moderate'],
      ['gad7', [3, 3, 3, 3, 3, 0, 0], 15, 'severe'],
      ['gad7', [3, 3, 3, 3, 3, 3, 3], 21, 'severe'],
    ];
    for (const [instrument, answers, total, severity] of cases) {
      const res = await submit(user, instrument, answers);
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ instrument, answers, total_score: total, severity, safety_signal: false, support_message: null });
    }
    const history = await api.get('/api/v1/screeners/responses?page_size=100', { token: user.access });
    expect(history.body.pagination.count).toBe(cases.length);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const user = await registerUser(api);
    const unknown = await submit(user, 'bdi', [0, 0, 0, 0, 0, 0, 0]);
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual(['instrument']);
    const invalid: Array<[string, unknown]> = [
      ['phq9', [0, 0, 0, 0, 0, 0, 0]],
      ['phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
      ['gad7', [0, 0, 0, 0, 0, 0, 0, 0, 0]],
      ['gad7', [0, 0, 0, 0, 0, 0]],
      ['gad7', [0, 0, 0, 0, 0, 0, 4]],
      ['gad7', [0, 0, 0, 0, 0, 0, -1]],
      ['gad7', [0, 0, 0, 0, 0, 0, 1.5]],
      ['gad7', [0, 0, 0, 0, 0, 0, '2']],
      ['gad7', [0, 0, 0, 0, 0, 0, null]],
      ['phq9', 'all zeros'],
      ['phq9', null],
      ['phq9', undefined],
    ];
    for (const [instrument, answers] of invalid) {
      const res = await submit(user, instrument, answers);
      expect([JSON.stringify(answers), res.status, res.body.code]).toEqual([JSON.stringify(answers), 400, 'COMMON.VALIDATION_FAILED']);
      expect(Object.keys(res.body.errors)).toEqual(['answers']);
    }
    const extra = await api.post('/api/v1/screeners/gad7/responses', { answers: [0, 0, 0, 0, 0, 0, 0], total_score: 0 }, { token: user.access });
    expect(extra.status).toBe(400);
    expect(Object.keys(extra.body.errors)).toEqual(['total_score']);
    expect((await api.get('/api/v1/screeners/responses', { token: user.access })).body.pagination.count).toBe(0);
    expect((await api.get('/api/v1/screeners/responses?instrument=bdi', { token: user.access })).body.errors).toHaveProperty('instrument');
  });

  it("keeps a history, filtered by instrument; another user's id answers 404", async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const first = (await submit(user, 'phq9', [1, 0, 0, 0, 0, 0, 0, 0, 0])).body.data;
    const second = (await submit(user, 'gad7', [1, 1, 0, 0, 0, 0, 0])).body.data;
    const third = (await submit(user, 'phq9', [2, 0, 0, 0, 0, 0, 0, 0, 0])).body.data;

    const all = await api.get('/api/v1/screeners/responses', { token: user.access });
    expect(all.body.data.map((r: any) => r.id)).toEqual([third.id, second.id, first.id]);
    const phq9 = await api.get('/api/v1/screeners/responses?instrument=phq9', { token: user.access });
    expect(phq9.body.data.map((r: any) => r.id)).toEqual([third.id, first.id]);
    const byScore = await api.get('/api/v1/screeners/responses?ordering=total_score&page_size=1', { token: user.access });
    expect(byScore.body.data.map((r: any) => r.total_score)).toEqual([1]);
    expect(byScore.body.pagination).toMatchObject({ count: 3, total_pages: 3 });

    const one = await api.get(`/api/v1/screeners/responses/${second.id}`, { token: user.access });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(second);

    const foreign = await api.get(`/api/v1/screeners/responses/${second.id}`, { token: other.access });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'SCREENERS.NOT_FOUND']);
    const missing = await api.get('/api/v1/screeners/responses/00000000-0000-4000-a000-000000000000', { token: user.access });
    expect([missing.status, missing.body.code]).toEqual([404, 'SCREENERS.NOT_FOUND']);
    expect((await api.get('/api/v1/screeners/responses/nope', { token: user.access })).body.errors).toHaveProperty('id');
    expect((await api.get('/api/v1/screeners/responses', { token: other.access })).body.pagination.count).toBe(0);
  });

  it('PHQ-9 item 9 above 0 raises a safety signal: stored, audited, staff and the screeners care team told without answers', async () => {
    const admin = await createUserWithRole(api, Role.Admin);
    const manager = await createUserWithRole(api, Role.Manager);
    const therapist = await verifiedProvider(api, admin);
    const goalsOnlyTherapist = await verifiedProvider(api, admin);
    const client = await registerUser(api, { first_name: 'Robin', last_name: 'Quill' });
    await openChat(api, client, therapist);
    await openChat(api, client, goalsOnlyTherapist);
    await grantCare(api, client, therapist, ['screeners']);
    await grantCare(api, client, goalsOnlyTherapist, ['goals']);

    const answers = [2, 2, 1, 3, 0, 1, 2, 0, 1];
    const res = await submit(client, 'phq9', answers);
    expect(res.status).toBe(201);
    const response = res.body.data;
    expect(response).toMatchObject({ total_score: 12, severity: 'moderate', safety_signal: true });
    expect(response.support_message).toContain('988');
    expect(response.support_message).toContain('emergency');
    const reread = await api.get(`/api/v1/screeners/responses/${response.id}`, { token: client.access });
    expect(reread.body.data).toMatchObject({ safety_signal: true, support_message: response.support_message });

    const signals: Array<{ id: string; user_id: string; kind: string }> = await db().query(
      'SELECT id, user_id, kind FROM safety_signals WHERE screener_response_id = $1',
      [response.id],
    );
    expect(signals).toEqual([{ id: expect.any(String), user_id: client.id, kind: 'phq9_item9' }]);
    const audited: Array<{ actor_id: string; detail: Record<string, unknown> }> = await db().query(
      `SELECT actor_id, detail FROM audit_log WHERE action = 'safety.signal_raised' AND target_id = $1`,
      [signals[0].id],
    );
    expect(audited).toHaveLength(1);
    expect(audited[0].actor_id).toBe(client.id);
    expect(JSON.stringify(audited[0].detail)).not.toContain('answers');

    for (const recipient of [admin, manager, therapist]) {
      const mine = (await signalNotifications(recipient)).filter((n) => n.related_id === response.id);
      expect(mine).toHaveLength(1);
      const text = `${mine[0].title} ${mine[0].message}`;
      expect(mine[0].message).toBe('A screener answer from Robin needs a check-in.');
      // No score, answer, band or instrument detail.
      expect(text).not.toMatch(/\d/);
      expect(text.toLowerCase()).not.toMatch(/moderate|severe|phq|score|dead|hurting/);
    }
    expect((await signalNotifications(goalsOnlyTherapist)).filter((n) => n.related_id === response.id)).toEqual([]);
    expect(await signalNotifications(client)).toEqual([]);

    const list = await api.get(`/api/v1/admin/safety-signals?user_id=${client.id}`, { token: manager.access });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      {
        id: signals[0].id,
        kind: 'phq9_item9',
        user: { id: client.id, first_name: 'Robin', last_name: 'Quill' },
        screener_response_id: response.id,
        created_at: expect.any(String),
      },
    ]);
    expect(list.text).not.toContain('answers');
    const newest = await api.get('/api/v1/admin/safety-signals?page_size=1', { token: admin.access });
    expect(newest.body.data[0].id).toBe(signals[0].id);
    for (const caller of [client, therapist]) expect((await api.get('/api/v1/admin/safety-signals', { token: caller.access })).status).toBe(403);
  });

  it('raises no signal when item 9 is 0, or for GAD-7', async () => {
    const admin = await createUserWithRole(api, Role.Admin);
    const therapist = await verifiedProvider(api, admin);
    const client = await registerUser(api);
    await openChat(api, client, therapist);
    await grantCare(api, client, therapist, ['screeners']);

    const severe = await submit(client, 'phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]);
    expect(severe.body.data).toMatchObject({ total_score: 24, severity: 'severe', safety_signal: false, support_message: null });
    const anxious = await submit(client, 'gad7', [3, 3, 3, 3, 3, 3, 3]);
    expect(anxious.body.data).toMatchObject({ safety_signal: false, support_message: null });

    expect(await db().query('SELECT id FROM safety_signals WHERE user_id = $1', [client.id])).toEqual([]);
    expect(await signalNotifications(admin)).toEqual([]);
    expect(await signalNotifications(therapist)).toEqual([]);
    const list = await api.get(`/api/v1/admin/safety-signals?user_id=${client.id}`, { token: admin.access });
    expect(list.body.pagination.count).toBe(0);
  });

  it("shares a client's screener history with a care-team therapist holding the screeners scope, until revoked", async () => {
    const admin = await createUserWithRole(api, Role.Admin);
    const therapist = await verifiedProvider(api, admin);
    const client = await registerUser(api);
    const stranger = await registerUser(api);
    const response = (await submit(client, 'gad7', [1, 2, 1, 0, 0, 0, 0])).body.data;
    await submit(stranger, 'gad7', [0, 0, 0, 0, 0, 0, 0]);
    const url = `/api/v1/clients/${client.id}/screeners/responses`;

    const before = await api.get(url, { token: therapist.access });
    expect([before.status, before.body.code]).toEqual([404, 'SCREENERS.NOT_FOUND']);
    await openChat(api, client, therapist);
    const goalsOnly = await grantCare(api, client, therapist, ['goals']);
    expect((await api.get(url, { token: therapist.access })).status).toBe(404);
    await revokeCare(api, client, goalsOnly);

    const grantId = await grantCare(api, client, therapist, ['screeners']);
    const shared = await api.get(`${url}?instrument=gad7`, { token: therapist.access });
    expect(shared.status).toBe(200);
    expect(shared.body.data).toEqual([response]);
    const audited: unknown[] = await db().query(`SELECT id FROM audit_log WHERE action = 'care.shared_data_read' AND actor_id = $1`, [therapist.id]);
    expect(audited).toHaveLength(1);
    // The grant reads this client only; the therapist still cannot open the response directly.
    expect((await api.get(`/api/v1/clients/${stranger.id}/screeners/responses`, { token: therapist.access })).status).toBe(404);
    expect((await api.get(`/api/v1/screeners/responses/${response.id}`, { token: therapist.access })).status).toBe(404);
    expect((await api.get(url, { token: stranger.access })).status).toBe(404);
    expect((await api.get(url, { token: admin.access })).status).toBe(404);

    await revokeCare(api, client, grantId);
    const after = await api.get(url, { token: therapist.access });
    expect([after.status, after.body.code]).toEqual([404, 'SCREENERS.NOT_FOUND']);
  });
});
