import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { User } from 'src/modules/users/user.entity';
import { DataSource } from 'typeorm';
import { jwtClaims } from './support/jwt';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueSuffix } from './support/test-env';
import { login, loginAs, newUserBody, registerUser, strongPassword } from './support/users';

const MAX_FAILURES = 4;

describe('auth: register, login, refresh, logout', () => {
  let api: TestApp;
  let db: DataSource;

  const auditFor = (targetId: string): Promise<AuditLogEntry[]> =>
    db.getRepository(AuditLogEntry).find({ where: { targetId }, order: { occurredAt: 'ASC' } });

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCKOUT_SECONDS: '600' } });
    db = api.resolve(DataSource);
  });
  afterAll(() => api?.close());

  describe.each(['client', 'therapist', 'friend'])('the full flow as a %s', (role) => {
    it('registers, signs in, reads itself, refreshes and signs out', async () => {
      const body = newUserBody({ role, username: `u_${uniqueSuffix()}`, personality_data: { interests: ['music'], communication_style: 'calm' } });
      const registered = await api.post('/api/v1/auth/register', body);
      expect(registered.status).toBe(201);
      expect(registered.body.message).toBe('User registered successfully');
      const { user, access, refresh, token_type, expires_in } = registered.body.data;
      expect(user).toMatchObject({
        email: body.email,
        username: body.username,
        first_name: body.first_name,
        role,
        is_verified: role === 'client',
        status: 'active',
        two_factor_enabled: false,
        subscription_status: 'none',
        personality_data: { interests: ['music'], communication_style: 'calm' },
      });
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('password_hash');
      expect(token_type).toBe('Bearer');
      expect(expires_in).toBe(900);
      expect(jwtClaims(access)).toMatchObject({ typ: 'access', sub: user.id, iss: 'haven', aud: 'haven-api' });
      expect(jwtClaims(access).exp - jwtClaims(access).iat).toBe(900);
      expect(jwtClaims(refresh).exp - jwtClaims(refresh).iat).toBe(7 * 24 * 3600);
      expect(registered.text).not.toContain(body.password as string);

      const signedIn = await login(api, { email: (body.email as string).toUpperCase() }, body.password as string);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.requires_2fa).toBe(false);
      const session = signedIn.body.data;

      const me = await api.get('/api/v1/users/me', { token: session.access });
      expect(me.status).toBe(200);
      expect(me.body.data).toMatchObject({ id: user.id, email: body.email, role, created_at: expect.any(String) });

      const refreshed = await api.post('/api/v1/auth/refresh', { refresh: session.refresh });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.data.access).not.toBe(session.access);
      expect(refreshed.body.data.refresh).not.toBe(session.refresh);
      expect((await api.get('/api/v1/users/me', { token: refreshed.body.data.access })).status).toBe(200);

      const out = await api.post('/api/v1/auth/logout', undefined, { token: refreshed.body.data.access });
      expect(out.status).toBe(200);
      const after = await api.get('/api/v1/users/me', { token: refreshed.body.data.access });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('AUTH.SESSION_REVOKED');
      expect((await api.get('/api/v1/users/me', { token: session.access })).status).toBe(401);
      const refreshAfter = await api.post('/api/v1/auth/refresh', { refresh: refreshed.body.data.refresh });
      expect(refreshAfter.status).toBe(401);

      // The registration session is separate and still alive.
      expect((await api.get('/api/v1/users/me', { token: access })).status).toBe(200);
    });
  });

  describe('registration rules', () => {
    const countUsers = (): Promise<number> => db.getRepository(User).count();

    it.each([
      ['role admin', { role: 'admin' }, 'role'],
      ['role manager', { role: 'manager' }, 'role'],
      ['is_verified', { is_verified: true }, 'is_verified'],
      ['id', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
      ['an unknown field', { favourite_colour: 'blue' }, 'favourite_colour'],
      ['a personality_data field that does not exist', { personality_data: { secret_role: 'admin' } }, 'personality_data.secret_role'],
    ])('refuses %s with a 400 naming the field, creating nothing', async (_, extra, field) => {
      const before = await countUsers();
      const body: Record<string, unknown> = { ...newUserBody(), ...extra };
      const res = await api.post('/api/v1/auth/register', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('COMMON.VALIDATION_FAILED');
      expect(res.body.errors[field]).toEqual([expect.any(String)]);
      expect(await countUsers()).toBe(before);
      expect((await login(api, { email: body.email as string }, body.password as string)).status).toBe(401);
    });

    it('names every missing or malformed field', async () => {
      const res = await api.post('/api/v1/auth/register', { email: 'not-an-email', username: 'x', password: 7 });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'first_name', 'last_name', 'password', 'username']);
    });

    it.each([
      ['too short', 'Short1!', /at least 10 characters/],
      ['common', 'password123', /too common/],
      ['common with decoration', 'Sunshine2024!!', /too common/],
      ['the email', '{email}', /email or username/],
      ['built on the username', '{username}-2024', /email or username/],
    ])('refuses a %s password with a clear message', async (_, template, message) => {
      const body = newUserBody({ username: `name_${uniqueSuffix()}` });
      body.password = template.replace('{email}', body.email as string).replace('{username}', body.username as string);
      const res = await api.post('/api/v1/auth/register', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('AUTH.WEAK_PASSWORD');
      expect(res.body.errors.password[0]).toMatch(message);
    });

    it('keeps emails and usernames unique ignoring case', async () => {
      const first = await registerUser(api, { username: `Case_${uniqueSuffix()}` });
      const sameEmail = await api.post('/api/v1/auth/register', newUserBody({ email: first.email.toUpperCase() }));
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.body.code).toBe('USERS.EMAIL_TAKEN');
      expect(sameEmail.body.errors.email).toBeDefined();
      const sameName = await api.post('/api/v1/auth/register', newUserBody({ username: first.username!.toLowerCase() }));
      expect(sameName.status).toBe(409);
      expect(sameName.body.code).toBe('USERS.USERNAME_TAKEN');
    });

    it('has the database refuse a duplicate email even when the service is bypassed', async () => {
      const user = await registerUser(api);
      await expect(
        db.getRepository(User).insert({ email: user.email.toUpperCase(), passwordHash: 'x', firstName: 'a', lastName: 'b' }),
      ).rejects.toThrow(/uq_users_email_lower/);
    });

    it('answers concurrent registrations of one email with one 201 and 409s', async () => {
      const body = newUserBody();
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => api.post('/api/v1/auth/register', { ...body, email: i % 2 ? body.email : (body.email as string).toUpperCase() })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });
  });

  describe('login', () => {
    it('signs in by username as well as by email', async () => {
      const user = await registerUser(api, { username: `nick_${uniqueSuffix()}` });
      const res = await login(api, { username: user.username!.toUpperCase() }, user.password);
      expect(res.status).toBe(200);
      expect(res.body.data.user.id).toBe(user.id);
    });

    it('answers an unknown account and a wrong password with the same 401, in similar time', async () => {
      const user = await registerUser(api);
      const timed = async (identifier: { email: string }, password: string): Promise<[any, number]> => {
        const start = process.hrtime.bigint();
        const res = await login(api, identifier, password);
        return [res, Number(process.hrtime.bigint() - start) / 1e6];
      };
      const unknownTimes: number[] = [];
      const wrongTimes: number[] = [];
      let unknown: any;
      let wrong: any;
      for (let i = 0; i < 3; i++) {
        const [u, tu] = await timed({ email: `nobody-${uniqueSuffix()}@example.com` }, 'whatever-password-1');
        const [w, tw] = await timed({ email: user.email }, `wrong-password-${i}`);
        unknown = u;
        wrong = w;
        unknownTimes.push(tu);
        wrongTimes.push(tw);
      }
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body.code).toBe('AUTH.INVALID_CREDENTIALS');
      expect(wrong.body.code).toBe(unknown.body.code);
      expect(wrong.body.message).toBe(unknown.body.message);
      // Both paths run one argon2 verification: the medians stay within a factor of each other.
      const median = (values: number[]): number => values.sort((a, b) => a - b)[1];
      const ratio = median(unknownTimes) / median(wrongTimes);
      expect(ratio).toBeGreaterThan(0.33);
      expect(ratio).toBeLessThan(3);
      // Reset the failure counter for the other tests.
      await loginAs(api, user.email, user.password);
    });

    it('requires email or username and refuses unknown fields', async () => {
      const missing = await api.post('/api/v1/auth/login', { password: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.email).toBeDefined();
      const extra = await api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'x', remember: true });
      expect(extra.status).toBe(400);
      expect(extra.body.errors.remember).toBeDefined();
    });

    it('locks the account after repeated failures, with a clear 423 and Retry-After, even for the right password', async () => {
      const user = await registerUser(api);
      for (let i = 1; i < MAX_FAILURES; i++) {
        expect((await login(api, { email: user.email }, `wrong-${i}-password`)).status).toBe(401);
      }
      const locking = await login(api, { email: user.email }, 'wrong-last-password');
      expect(locking.status).toBe(423);
      expect(locking.body.code).toBe('AUTH.ACCOUNT_LOCKED');
      expect(locking.body.message).toMatch(/locked for 10 more minutes/);
      expect(Number(locking.headers.get('retry-after'))).toBeGreaterThan(590);
      const right = await login(api, { email: user.email }, user.password);
      expect(right.status).toBe(423);
      expect(right.body.code).toBe('AUTH.ACCOUNT_LOCKED');
      // Existing sessions are not affected by the lock.
      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);

      const events = (await auditFor(user.id)).map((e) => e.action);
      expect(events.filter((a) => a === 'auth.login_failed')).toHaveLength(MAX_FAILURES);
      expect(events).toContain('auth.account_locked');
    });

    it('lets the user in again once the lock has expired, and a success resets the count', async () => {
      const user = await registerUser(api);
      for (let i = 0; i < MAX_FAILURES; i++) await login(api, { email: user.email }, `wrong-${i}-password`);
      expect((await login(api, { email: user.email }, user.password)).status).toBe(423);
      await db.getRepository(User).update({ id: user.id }, { lockedUntil: new Date(Date.now() - 1000) });
      expect((await login(api, { email: user.email }, user.password)).status).toBe(200);
      for (let i = 1; i < MAX_FAILURES; i++) await login(api, { email: user.email }, `wrong-${i}-password`);
      expect((await login(api, { email: user.email }, user.password)).status).toBe(200);
    });

    it('records successful and failed sign-ins with request id and IP', async () => {
      const user = await registerUser(api);
      const failed = await api.post(
        '/api/v1/auth/login',
        { email: user.email, password: 'definitely-wrong-1' },
        { headers: { 'x-request-id': `req-fail-${uniqueSuffix()}` } },
      );
      expect(failed.status).toBe(401);
      await loginAs(api, user.email, user.password);
      const entries = await auditFor(user.id);
      const failure = entries.find((e) => e.action === 'auth.login_failed')!;
      expect(failure).toMatchObject({ targetType: 'user', detail: { reason: 'wrong_password' }, ip: '127.0.0.1' });
      expect(failure.requestId).toBe(failed.headers.get('x-request-id'));
      expect(entries.find((e) => e.action === 'auth.login_succeeded')).toMatchObject({ actorId: user.id, detail: { method: 'password' } });
      expect(JSON.stringify(entries)).not.toContain(user.password);
    });
  });

  describe('refresh rotation and session revocation', () => {
    it('refresh-token reuse revokes the whole family: the thief and the owner both fail', async () => {
      const user = await registerUser(api);
      const stolen = user.refresh;
      const owner = await api.post('/api/v1/auth/refresh', { refresh: stolen });
      expect(owner.status).toBe(200);

      const thief = await api.post('/api/v1/auth/refresh', { refresh: stolen });
      expect(thief.status).toBe(401);
      expect(thief.body.code).toBe('AUTH.TOKEN_REUSED');

      const ownerNext = await api.post('/api/v1/auth/refresh', { refresh: owner.body.data.refresh });
      expect(ownerNext.status).toBe(401);
      expect(ownerNext.body.code).toBe('AUTH.SESSION_REVOKED');
      const access = await api.get('/api/v1/users/me', { token: owner.body.data.access });
      expect(access.status).toBe(401);

      const reuse = (await auditFor(user.id)).filter((e) => e.action === 'auth.refresh_token_reused');
      expect(reuse).toHaveLength(1);
      expect(reuse[0].detail).toMatchObject({ presented_generation: 0, current_generation: 1 });
    });

    it('also catches a thief who refreshes first', async () => {
      const user = await registerUser(api);
      const thief = await api.post('/api/v1/auth/refresh', { refresh: user.refresh });
      expect(thief.status).toBe(200);
      expect((await api.post('/api/v1/auth/refresh', { refresh: user.refresh })).body.code).toBe('AUTH.TOKEN_REUSED');
      expect((await api.post('/api/v1/auth/refresh', { refresh: thief.body.data.refresh })).status).toBe(401);
      expect((await api.get('/api/v1/users/me', { token: thief.body.data.access })).status).toBe(401);
    });

    it('refuses an access token as a refresh token, and garbage', async () => {
      const user = await registerUser(api);
      const asAccess = await api.post('/api/v1/auth/refresh', { refresh: user.access });
      expect(asAccess.status).toBe(401);
      expect(asAccess.body.code).toBe('AUTH.INVALID_TOKEN');
      const garbage = await api.post('/api/v1/auth/refresh', { refresh: 'nope' });
      expect(garbage.status).toBe(400);
      expect(garbage.body.errors.refresh).toBeDefined();
    });

    it('logout-all ends every session, the current one included', async () => {
      const user = await registerUser(api);
      const second = await loginAs(api, user.email, user.password);
      const third = await loginAs(api, user.email, user.password);
      const res = await api.post('/api/v1/auth/logout-all', undefined, { token: second.access });
      expect(res.status).toBe(200);
      expect(res.body.data.sessions_ended).toBe(3);
      for (const token of [user.access, second.access, third.access]) {
        expect((await api.get('/api/v1/users/me', { token })).status).toBe(401);
      }
      for (const refresh of [user.refresh, second.refresh, third.refresh]) {
        expect((await api.post('/api/v1/auth/refresh', { refresh })).status).toBe(401);
      }
      expect((await auditFor(user.id)).map((e) => e.action)).toContain('auth.logout_all');
      expect((await login(api, { email: user.email }, user.password)).status).toBe(200);
    });

    it('a password change ends every other session and keeps this one', async () => {
      const user = await registerUser(api);
      const other = await loginAs(api, user.email, user.password);
      const newPassword = strongPassword();
      const res = await api.patch('/api/v1/users/me', { password: newPassword, current_password: user.password }, { token: user.access });
      expect(res.status).toBe(200);
      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
      expect((await api.get('/api/v1/users/me', { token: other.access })).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refresh: other.refresh })).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refresh: user.refresh })).status).toBe(200);
      expect((await login(api, { email: user.email }, user.password)).status).toBe(401);
      expect((await login(api, { email: user.email }, newPassword)).status).toBe(200);
      const changed = (await auditFor(user.id)).find((e) => e.action === 'auth.password_changed');
      expect(changed).toMatchObject({ actorId: user.id, detail: { other_sessions_ended: 1 } });
    });
  });
});

describe('auth rate-limit tier', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { RATE_LIMIT_AUTH: '10' } });
  });
  afterAll(() => api?.close());

  it('answers 429 with Retry-After once a burst exceeds the auth tier', async () => {
    const statuses: number[] = [];
    let last: any;
    for (let i = 0; i < 11; i++) {
      last = await api.post('/api/v1/auth/login', { email: `burst-${i}@example.com`, password: 'some-password-1' });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(last.body.code).toBe('COMMON.RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    // The auth tier is one budget across its routes: registration and refresh are cut off too.
    expect((await api.post('/api/v1/auth/refresh', { refresh: 'not-a-token' })).status).toBe(429);
    expect((await api.post('/api/v1/auth/register', { email: 'late@example.com' })).status).toBe(429);
  });
});
