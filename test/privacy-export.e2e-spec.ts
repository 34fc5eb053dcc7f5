import { DataSource } from 'typeorm';
import { chatCast, ChatCast } from './support/chat';
import { seedEveryModule, SeededPerson } from './support/privacy';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { registerUser, TestUser } from './support/users';

describe('privacy: data export', () => {
  let api: TestApp;
  let db: DataSource;
  let cast: ChatCast;
  let person: SeededPerson;
  let outsider: TestUser;
  const outsiderNote = `outsider private note ${Date.now()}`;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
    cast = await chatCast(api);
    person = await seedEveryModule(api, cast);
    // Someone else's private data, which must never reach the person's archive.
    outsider = await registerUser(api);
    expect((await api.post('/api/v1/mood/entries', { mood: 'calm', note: outsiderNote }, { token: outsider.access })).status).toBe(201);
  });
  afterAll(() => api?.close());

  const as = (user: TestUser) => ({ token: user.access });
  const readyExport = async (user: TestUser): Promise<string> => {
    const requested = await api.post('/api/v1/privacy/exports', {}, as(user));
    expect(requested.status).toBe(202);
    const id = requested.body.data.id as string;
    await waitFor(async () => (await api.get(`/api/v1/privacy/exports/${id}`, as(user))).body.data.status === 'ready', 'the archive', 20_000);
    return id;
  };
  const linkOf = async (user: TestUser, id: string): Promise<string> => {
    const res = await api.post(`/api/v1/privacy/exports/${id}/link`, {}, as(user));
    expect(res.status).toBe(201);
    return new URL(res.body.data.url as string).pathname + new URL(res.body.data.url as string).search;
  };

  it('builds an archive with every piece of the person’s data, decrypted, and nothing of other users beyond the shared chat', async () => {
    const id = await readyExport(person.user);
    const notified = await api.get('/api/v1/notifications', as(person.user));
    expect((notified.body.data as Array<{ title: string }>).some((n) => n.title === 'Your data archive is ready')).toBe(true);

    const download = await api.get(await linkOf(person.user, id), as(person.user));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="haven-archive-\d{4}-\d{2}-\d{2}\.json"$/);
    const archive = JSON.parse(download.text) as { format: string; user_id: string; sections: Record<string, unknown> };
    expect(archive).toMatchObject({ format: 'haven-archive/1', user_id: person.user.id });
    const text = JSON.stringify(archive);
    // Every identifying value and every text the person wrote, in the clear.
    for (const [name, value] of Object.entries(person.secrets)) expect([name, text.includes(value)]).toEqual([name, true]);
    for (const section of ['users', 'auth', 'mood', 'goals', 'screeners', 'ptsd', 'alarms', 'companion', 'safety-plans', 'risk-flags', 'chat', 'care-team', 'sessions', 'payments', 'notifications', 'tickets', 'group-events'])
      expect([section, section in archive.sections]).toEqual([section, true]);
    // The shared chat's record holds the therapist's answer; nobody else's private data is there, and no secret.
    expect(text).toContain('How are you today?');
    expect(text).not.toContain(outsiderNote);
    expect(text).not.toContain(outsider.email);
    expect(text).not.toMatch(/"(password_hash|totp_secret|token_hash|client_secret|archive_encrypted|link_token_hash)"/);
    expect(text).not.toContain('enc1.');

    const audited = await db.query<Array<{ action: string }>>("SELECT action FROM audit_log WHERE actor_id = $1 AND action LIKE 'privacy.%' ORDER BY occurred_at", [person.user.id]);
    expect(audited.map((a) => a.action)).toEqual(['privacy.export_requested', 'privacy.export_downloaded']);
  });

  it('a link works once, only for its owner, only with its token, and not after it expires; the archive is removed after its time', async () => {
    const id = await readyExport(outsider);
    const path = await linkOf(outsider, id);
    expect((await api.get(path)).status).toBe(401);
    const foreign = await api.get(path, as(person.user));
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PRIVACY.EXPORT_NOT_FOUND']);
    const forged = await api.get(`/api/v1/privacy/exports/${id}/download?link=${'A'.repeat(43)}`, as(outsider));
    expect([forged.status, forged.body.code]).toEqual([403, 'PRIVACY.LINK_INVALID']);
    expect((await api.get(path, as(outsider))).status).toBe(200);
    const reused = await api.get(path, as(outsider));
    expect([reused.status, reused.body.code]).toEqual([410, 'PRIVACY.LINK_EXPIRED']);

    // A new link replaces the old one; a link past its time is refused.
    const first = await linkOf(outsider, id);
    const second = await linkOf(outsider, id);
    expect((await api.get(first, as(outsider))).status).toBe(403);
    await db.query("UPDATE data_exports SET link_expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    const late = await api.get(second, as(outsider));
    expect([late.status, late.body.code]).toEqual([410, 'PRIVACY.LINK_EXPIRED']);

    // After the archive's time it is deleted and no link can be made.
    await db.query("UPDATE data_exports SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    expect((await api.get(`/api/v1/privacy/exports/${id}`, as(outsider))).body.data.status).toBe('expired');
    const [row] = await db.query<Array<{ archive_encrypted: string | null }>>('SELECT archive_encrypted FROM data_exports WHERE id = $1', [id]);
    expect(row.archive_encrypted).toBeNull();
    const noLink = await api.post(`/api/v1/privacy/exports/${id}/link`, {}, as(outsider));
    expect([noLink.status, noLink.body.code]).toEqual([409, 'PRIVACY.EXPORT_NOT_READY']);
  });

  it('concurrent requests converge on one export; lists are the caller’s own; bad input is a 400 naming the field', async () => {
    const someone = await registerUser(api);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post('/api/v1/privacy/exports', {}, as(someone))));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.data.id)).size).toBe(1);
    const mine = await api.get('/api/v1/privacy/exports', as(someone));
    expect((mine.body.data as Array<{ id: string }>).map((e) => e.id)).toEqual([answers[0].body.data.id]);
    const theirs = await api.get(`/api/v1/privacy/exports/${answers[0].body.data.id}`, as(outsider));
    expect(theirs.status).toBe(404);

    const unknown = await api.get('/api/v1/privacy/exports?format=zip', as(someone));
    expect([unknown.status, Object.keys(unknown.body.errors)]).toEqual([400, ['format']]);
    const badToken = await api.get(`/api/v1/privacy/exports/${answers[0].body.data.id}/download?link=short`, as(someone));
    expect([badToken.status, Object.keys(badToken.body.errors)]).toEqual([400, ['link']]);
    expect((await api.get('/api/v1/privacy/exports/not-a-uuid', as(someone))).status).toBe(400);
  });

  it('a body sent to a route that takes none is a 400 naming each field, after the sign-in check, and writes nothing', async () => {
    const user = await registerUser(api);
    const exportsOf = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM data_exports WHERE user_id = $1', [user.id]))[0].n;

    const fields = await api.post('/api/v1/privacy/exports', { format: 'zip', user_id: outsider.id }, as(user));
    expect([fields.status, fields.body.code, fields.body.errors]).toEqual([
      400,
      'COMMON.VALIDATION_FAILED',
      { format: ['format is not an accepted field'], user_id: ['user_id is not an accepted field'] },
    ]);
    const array = await api.post('/api/v1/privacy/exports', [1, 2], as(user));
    expect([array.status, array.body.errors]).toEqual([400, { body: ['this endpoint takes no body'] }]);
    expect((await api.post('/api/v1/privacy/exports', { format: 'zip' })).status).toBe(401);
    expect(await exportsOf()).toBe(0);

    // The same rule holds on every body-less route, e.g. signing out everywhere.
    const logout = await api.post('/api/v1/auth/logout-all', { keep_this_session: true }, as(user));
    expect([logout.status, logout.body.errors]).toEqual([400, { keep_this_session: ['keep_this_session is not an accepted field'] }]);
    expect((await api.get('/api/v1/users/me', as(user))).status).toBe(200);

    // No body, or an empty object, is what these routes take.
    expect((await api.post('/api/v1/privacy/exports', {}, as(user))).status).toBe(202);
    expect(await exportsOf()).toBe(1);
  });
});
