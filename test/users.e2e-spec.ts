import { Role } from 'src/common/access/permissions';
import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { ApiToken } from 'src/modules/auth/api-token.entity';
import { AuthSession } from 'src/modules/auth/auth-session.entity';
import { User } from 'src/modules/users/user.entity';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueSuffix } from './support/test-env';
import { createUserWithRole, login, registerUser, strongPassword, TestUser, TotpDevice } from './support/users';

describe('users: me, public profiles, account deletion', () => {
  let api: TestApp;
  let db: DataSource;

  const stored = (id: string): Promise<User> => db.getRepository(User).findOneByOrFail({ id });

  beforeAll(async () => {
    api = await startTestApp();
    db = api.resolve(DataSource);
  });
  afterAll(() => api?.close());

  describe('GET/PATCH /users/me', () => {
    let user: TestUser;

    beforeEach(async () => {
      user = await registerUser(api, { role: 'therapist', username: `doc_${uniqueSuffix()}` });
    });

    it('shows the account with role, verification, 2FA and subscription status', async () => {
      const res = await api.get('/api/v1/users/me', { token: user.access });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        id: user.id,
        email: user.email,
        username: user.username,
        first_name: 'Test',
        last_name: expect.any(String),
        role: 'therapist',
        is_verified: false,
        status: 'active',
        personality_data: null,
        time_zone: 'UTC',
        country: null,
        language: 'en',
        two_factor_enabled: false,
        subscription_status: 'none',
        created_at: expect.any(String),
        updated_at: expect.any(String),
        last_login_at: null,
      });
    });

    it('refuses an email that is not well-formed UTF-16 with a 400, not a 500', async () => {
      for (const email of ['\ud800', 'ada\udc00@example.com']) {
        const res = await api.patch('/api/v1/users/me', { email, current_password: 'whatever it is' }, { token: user.access });
        expect(res.status).toBe(400);
        expect(res.body.errors).toHaveProperty('email');
      }
      const signUp = await api.post('/api/v1/auth/register', { email: '\ud800@example.com', password: 'quiet-harbour-lantern-9' });
      expect(signUp.status).toBe(400);
    });

    it('sets the time zone to an IANA name and refuses anything else', async () => {
      const set = await api.patch('/api/v1/users/me', { time_zone: 'Asia/Tokyo' }, { token: user.access });
      expect(set.status).toBe(200);
      expect(set.body.data.time_zone).toBe('Asia/Tokyo');
      for (const bad of ['Mars/Olympus_Mons', '', 'x'.repeat(65), 42, null]) {
        const res = await api.patch('/api/v1/users/me', { time_zone: bad }, { token: user.access });
        expect(res.status).toBe(400);
        expect(Object.keys(res.body.errors)).toEqual(['time_zone']);
      }
      expect((await stored(user.id)).timeZone).toBe('Asia/Tokyo');
    });

    it('changes names, username and personality data (merged)', async () => {
      const first = await api.patch(
        '/api/v1/users/me',
        { first_name: ' Grace ', last_name: 'Hopper', personality_data: { interests: ['navy', 'compilers'] } },
        { token: user.access },
      );
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ first_name: 'Grace', last_name: 'Hopper', personality_data: { interests: ['navy', 'compilers'] } });
      const second = await api.patch(
        '/api/v1/users/me',
        { username: `grace_${uniqueSuffix()}`, personality_data: { communication_style: 'direct' } },
        { token: user.access },
      );
      expect(second.body.data.personality_data).toEqual({ interests: ['navy', 'compilers'], communication_style: 'direct' });
      const cleared = await api.patch('/api/v1/users/me', { username: null, personality_data: null }, { token: user.access });
      expect(cleared.body.data).toMatchObject({ username: null, personality_data: null });
    });

    it.each([
      ['role', { role: 'admin' }],
      ['is_verified', { is_verified: true }],
      ['id', { id: '00000000-0000-4000-8000-000000000000' }],
      ['status', { status: 'active' }],
      ['two_factor_enabled', { two_factor_enabled: true }],
      ['an unknown field', { nickname: 'x' }],
    ])('refuses %s with 400 and changes nothing, even alongside allowed fields', async (_, extra) => {
      const before = await stored(user.id);
      const res = await api.patch('/api/v1/users/me', { first_name: 'Changed', ...extra }, { token: user.access });
      expect(res.status).toBe(400);
      expect(res.body.errors[Object.keys(extra)[0]]).toEqual([expect.stringMatching(/is not an accepted field/)]);
      const after = await stored(user.id);
      expect(after).toEqual(before);
    });

    it('refuses null for a required field and an empty name', async () => {
      const res = await api.patch('/api/v1/users/me', { first_name: null, last_name: '   ' }, { token: user.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['first_name', 'last_name']);
    });

    it('changes the email with the current password; refuses without it or with a wrong one', async () => {
      const email = `new-${uniqueSuffix()}@example.com`;
      const missing = await api.patch('/api/v1/users/me', { email }, { token: user.access });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.current_password).toBeDefined();
      const wrong = await api.patch('/api/v1/users/me', { email, first_name: 'Nope', current_password: 'not-it-at-all' }, { token: user.access });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('AUTH.WRONG_PASSWORD');
      expect((await stored(user.id)).firstName).toBe('Test');
      const ok = await api.patch('/api/v1/users/me', { email, current_password: user.password }, { token: user.access });
      expect(ok.status).toBe(200);
      expect(ok.body.data.email).toBe(email);
      expect((await login(api, { email }, user.password)).status).toBe(200);
      expect((await login(api, { email: user.email }, user.password)).status).toBe(401);
      const audit = await db.getRepository(AuditLogEntry).findBy({ targetId: user.id, action: 'user.email_changed' });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(email);
    });

    it('refuses a taken email or username with 409', async () => {
      const other = await registerUser(api, { username: `taken_${uniqueSuffix()}` });
      const email = await api.patch('/api/v1/users/me', { email: other.email.toUpperCase(), current_password: user.password }, { token: user.access });
      expect(email.status).toBe(409);
      expect(email.body.code).toBe('USERS.EMAIL_TAKEN');
      const username = await api.patch('/api/v1/users/me', { username: other.username!.toUpperCase() }, { token: user.access });
      expect(username.status).toBe(409);
      expect(username.body.code).toBe('USERS.USERNAME_TAKEN');
    });

    it('applies the password policy to a new password', async () => {
      const res = await api.patch('/api/v1/users/me', { password: 'qwertyuiop', current_password: user.password }, { token: user.access });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('AUTH.WEAK_PASSWORD');
      expect((await login(api, { email: user.email }, user.password)).status).toBe(200);
    });
  });

  describe('GET /users/{id}', () => {
    it("shows another user's public info only", async () => {
      const viewer = await registerUser(api);
      const other = await registerUser(api, { role: 'friend', username: `pal_${uniqueSuffix()}`, personality_data: { interests: ['secret'] } });
      const res = await api.get(`/api/v1/users/${other.id}`, { token: viewer.access });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        id: other.id,
        username: other.username,
        first_name: 'Test',
        last_name: expect.any(String),
        role: 'friend',
        is_verified: false,
      });
      expect(res.text).not.toContain(other.email);
      expect(res.text).not.toContain('secret');
    });

    it('answers an unknown id with 404 and a malformed one with 400', async () => {
      const viewer = await registerUser(api);
      expect((await api.get('/api/v1/users/00000000-0000-4000-8000-000000000000', { token: viewer.access })).status).toBe(404);
      expect((await api.get('/api/v1/users/12', { token: viewer.access })).status).toBe(400);
      expect((await api.get(`/api/v1/users/${viewer.id}`)).status).toBe(401);
    });
  });

  describe('DELETE /users/me', () => {
    it('needs the password; then erases personal data, ends everything, and the user cannot sign in again', async () => {
      const user = await registerUser(api, { username: `gone_${uniqueSuffix()}`, personality_data: { interests: ['privacy'] } });
      const viewer = await registerUser(api);
      const second = await login(api, { email: user.email }, user.password);
      const token = await api.post('/api/v1/auth/api-tokens', { name: 'my script' }, { token: user.access });

      const wrong = await api.request('DELETE', '/api/v1/users/me', { body: { password: 'not-the-password' }, token: user.access });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('AUTH.WRONG_PASSWORD');
      const none = await api.request('DELETE', '/api/v1/users/me', { token: user.access });
      expect(none.status).toBe(400);
      expect((await stored(user.id)).status).toBe('active');

      const res = await api.request('DELETE', '/api/v1/users/me', { body: { password: user.password }, token: user.access });
      expect(res.status).toBe(200);

      const row = await stored(user.id);
      expect(row).toMatchObject({
        status: 'deleted',
        username: null,
        passwordHash: null,
        firstName: '',
        lastName: '',
        personalityData: null,
        totpSecret: null,
      });
      expect(row.email).not.toContain(user.email.split('@')[0]);
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(await db.getRepository(AuthSession).countBy({ userId: user.id })).toBe(0);
      expect(await db.getRepository(ApiToken).countBy({ userId: user.id })).toBe(0);

      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(401);
      expect((await api.get('/api/v1/users/me', { token: second.body.data.access })).status).toBe(401);
      expect((await api.get('/api/v1/users/me', { token: `Token ${token.body.data.token}` })).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refresh: user.refresh })).status).toBe(401);
      expect((await login(api, { email: user.email }, user.password)).status).toBe(401);
      expect((await login(api, { username: user.username! }, user.password)).status).toBe(401);
      expect((await api.get(`/api/v1/users/${user.id}`, { token: viewer.access })).status).toBe(404);

      // The email and username are free again.
      const again = await api.post('/api/v1/auth/register', {
        email: user.email,
        username: user.username,
        password: strongPassword(),
        first_name: 'New',
        last_name: 'Person',
      });
      expect(again.status).toBe(201);
      expect(again.body.data.user.id).not.toBe(user.id);

      const audit = await db.getRepository(AuditLogEntry).findOneByOrFail({ targetId: user.id, action: 'user.deleted' });
      expect(audit.actorId).toBe(user.id);
    });

    it('with 2FA on, also needs a code', async () => {
      const user = await registerUser(api);
      const setup = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: user.access });
      const device = new TotpDevice(setup.body.data.secret);
      await api.post('/api/v1/auth/2fa/enable', { code: await device.code() }, { token: user.access });
      const noCode = await api.request('DELETE', '/api/v1/users/me', { body: { password: user.password }, token: user.access });
      expect(noCode.status).toBe(400);
      const res = await api.request('DELETE', '/api/v1/users/me', { body: { password: user.password, code: await device.code() }, token: user.access });
      expect(res.status).toBe(200);
      expect((await stored(user.id)).status).toBe('deleted');
    });

    it('refuses to delete the last admin', async () => {
      const admin = await createUserWithRole(api, Role.Admin);
      const others = await db.getRepository(User).findBy({ role: Role.Admin });
      for (const other of others.filter((o) => o.id !== admin.id)) {
        await db.getRepository(User).update({ id: other.id }, { role: Role.Client });
      }
      const res = await api.request('DELETE', '/api/v1/users/me', { body: { password: admin.password }, token: admin.access });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('USERS.LAST_ADMIN');
      const second = await createUserWithRole(api, Role.Admin);
      expect(second.role).toBe('admin');
      expect((await api.request('DELETE', '/api/v1/users/me', { body: { password: admin.password }, token: admin.access })).status).toBe(200);
    });
  });
});
