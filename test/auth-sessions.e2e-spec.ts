import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { registerUser, TestUser } from './support/users';

describe('signed-in sessions: list and end one', () => {
  let api: TestApp;
  let user: TestUser;
  let other: TestUser;
  /** A second sign-in of `user`, from another device. */
  let phone: { access: string; refresh: string; id: string };

  const signIn = async (who: TestUser, userAgent: string): Promise<{ access: string; refresh: string }> => {
    const res = await api.post('/api/v1/auth/login', { email: who.email, password: who.password }, { headers: { 'user-agent': userAgent } });
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const sessionsOf = async (token: string): Promise<any[]> => {
    const res = await api.get('/api/v1/auth/sessions', { token });
    expect(res.status).toBe(200);
    return res.body.data;
  };

  beforeAll(async () => {
    api = await startTestApp();
  });
  // Each test gets its own two users and second device: none relies on another having run.
  beforeEach(async () => {
    user = await registerUser(api);
    other = await registerUser(api);
    const tokens = await signIn(user, 'HavenApp/2.3 (iPhone; iOS 18.1)');
    const listed = await sessionsOf(tokens.access);
    phone = { ...tokens, id: listed.find((s) => s.current).id };
  });
  afterAll(() => api?.close());

  it('lists the live sessions of the caller only, marking the current one', async () => {
    const fromBrowser = await sessionsOf(user.access);
    expect(fromBrowser).toHaveLength(2);
    expect(fromBrowser.filter((s) => s.current)).toHaveLength(1);
    expect(fromBrowser.find((s) => s.id === phone.id)).toMatchObject({
      current: false,
      user_agent: 'HavenApp/2.3 (iPhone; iOS 18.1)',
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: expect.any(String),
    });
    expect(Object.keys(fromBrowser[0]).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip', 'last_used_at', 'user_agent']);
    const theirs = await sessionsOf(other.access);
    expect(theirs.map((s) => s.id)).not.toContain(phone.id);
    expect(theirs).toHaveLength(1);
  });

  it("another user's, an unknown or a malformed id: 404 / 400, and nothing ends", async () => {
    const foreign = await api.delete(`/api/v1/auth/sessions/${phone.id}`, { token: other.access });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('COMMON.NOT_FOUND');
    expect((await api.delete('/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000', { token: user.access })).status).toBe(404);
    expect((await api.delete('/api/v1/auth/sessions/not-a-uuid', { token: user.access })).status).toBe(400);
    expect((await api.get('/api/v1/users/me', { token: phone.access })).status).toBe(200);
  });

  it('ending a session stops its access and refresh tokens at once, and is audited', async () => {
    const ended = await api.delete(`/api/v1/auth/sessions/${phone.id}`, { token: user.access });
    expect(ended.status).toBe(200);
    expect((await api.get('/api/v1/users/me', { token: phone.access })).status).toBe(401);
    expect((await api.post('/api/v1/auth/refresh', { refresh: phone.refresh })).status).toBe(401);
    expect((await sessionsOf(user.access)).map((s) => s.id)).not.toContain(phone.id);
    expect((await api.delete(`/api/v1/auth/sessions/${phone.id}`, { token: user.access })).status).toBe(404);
    const [entry] = await api.resolve(DataSource).query("SELECT * FROM audit_log WHERE action = 'auth.session_revoked' AND target_id = $1", [phone.id]);
    expect(entry).toMatchObject({ actor_id: user.id, target_type: 'session' });
    // The browser session is untouched.
    expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
  });

  it('removes sessions that ended more than 30 days ago when the user next signs in', async () => {
    const db = api.resolve(DataSource);
    const owner = await registerUser(api);
    for (const device of ['old revoked', 'long expired', 'recently revoked']) await signIn(owner, device);
    const ids = Object.fromEntries((await sessionsOf(owner.access)).map((s) => [s.user_agent, s.id]));
    await db.query("UPDATE auth_sessions SET revoked_at = now() - interval '31 days', revoked_reason = 'logout' WHERE id = $1", [ids['old revoked']]);
    await db.query("UPDATE auth_sessions SET expires_at = now() - interval '31 days' WHERE id = $1", [ids['long expired']]);
    await db.query("UPDATE auth_sessions SET revoked_at = now() - interval '2 days', revoked_reason = 'logout' WHERE id = $1", [ids['recently revoked']]);
    await signIn(owner, 'new device');
    const rows: Array<{ user_agent: string | null }> = await db.query('SELECT user_agent FROM auth_sessions WHERE user_id = $1 ORDER BY user_agent', [owner.id]);
    // The registration's session (no user agent in the test client) is live and stays too.
    expect(rows.map((r) => r.user_agent).filter((agent) => agent !== null && !agent.startsWith('node'))).toEqual(['new device', 'recently revoked']);
  });
});
