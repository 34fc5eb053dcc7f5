import { Role } from 'src/common/access/permissions';
import { AUDIT_ACTIONS } from 'src/modules/audit/audit-actions';
import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { User, UserStatus } from 'src/modules/users/user.entity';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueSuffix } from './support/test-env';
import { createUserWithRole, login, registerUser, TestUser, TotpDevice } from './support/users';

describe('admin: users, friends, audit log', () => {
  let api: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let manager: TestUser;
  let client: TestUser;

  const patchUser = (actor: TestUser, id: string, body: unknown) => api.patch(`/api/v1/admin/users/${id}`, body, { token: actor.access });

  beforeAll(async () => {
    api = await startTestApp({ env: { LOGIN_MAX_FAILURES: '2' } });
    db = api.resolve(DataSource);
    admin = await createUserWithRole(api, Role.Admin);
    manager = await createUserWithRole(api, Role.Manager);
    client = await registerUser(api);
  });
  afterAll(() => api?.close());

  describe('access', () => {
    it('refuses clients and providers with 403, anonymous callers with 401', async () => {
      const therapist = await registerUser(api, { role: 'therapist' });
      for (const path of ['/api/v1/admin/users', '/api/v1/admin/friends', '/api/v1/admin/audit-log']) {
        const res = await api.get(path, { token: client.access });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('COMMON.FORBIDDEN');
        expect((await api.get(path, { token: therapist.access })).status).toBe(403);
        expect((await api.get(path)).status).toBe(401);
      }
      expect((await patchUser(client, client.id, { is_verified: true })).status).toBe(403);
    });

    it('lets managers manage users but not read the audit log', async () => {
      expect((await api.get('/api/v1/admin/users', { token: manager.access })).status).toBe(200);
      expect((await api.get('/api/v1/admin/friends', { token: manager.access })).status).toBe(200);
      expect((await api.get('/api/v1/admin/audit-log', { token: manager.access })).status).toBe(403);
      expect((await api.get('/api/v1/admin/audit-log', { token: admin.access })).status).toBe(200);
    });
  });

  describe('GET /admin/users', () => {
    let tag: string;

    beforeAll(async () => {
      tag = uniqueSuffix();
      for (let i = 0; i < 3; i++) await registerUser(api, { role: 'therapist', last_name: `Listed${tag} T${i}` });
      await registerUser(api, { role: 'friend', last_name: `Listed${tag} F`, email: `listed-${tag}@example.com` });
    });

    it('filters by role and searches name and email, with pagination and ordering', async () => {
      const byName = await api.get(`/api/v1/admin/users?search=listed${tag}&role=therapist&page_size=2&ordering=last_name`, { token: admin.access });
      expect(byName.status).toBe(200);
      expect(byName.body.pagination).toMatchObject({ count: 3, page: 1, page_size: 2, total_pages: 2 });
      expect(byName.body.data.map((u: any) => u.last_name)).toEqual([`Listed${tag} T0`, `Listed${tag} T1`]);
      expect(byName.body.data[0]).toMatchObject({ role: 'therapist', is_verified: false, email: expect.any(String), status: 'active' });
      const page2 = await api.get(`/api/v1/admin/users?search=listed${tag}&role=therapist&page_size=2&page=2&ordering=last_name`, { token: admin.access });
      expect(page2.body.data.map((u: any) => u.last_name)).toEqual([`Listed${tag} T2`]);
      expect(page2.body.pagination.next).toBeNull();

      const byEmail = await api.get(`/api/v1/admin/users?search=listed-${tag}@`, { token: admin.access });
      expect(byEmail.body.data.map((u: any) => u.role)).toEqual(['friend']);
      const fullName = await api.get(`/api/v1/admin/users?search=${encodeURIComponent(`Test Listed${tag} F`)}`, { token: admin.access });
      expect(fullName.body.pagination.count).toBe(1);
      const desc = await api.get(`/api/v1/admin/users?search=listed${tag}&ordering=-last_name`, { token: admin.access });
      expect(desc.body.data[0].last_name).toBe(`Listed${tag} T2`);
    });

    it('filters by status and verification', async () => {
      const target = await registerUser(api, { role: 'therapist', last_name: `Status${tag}` });
      await patchUser(admin, target.id, { status: 'suspended' });
      const suspended = await api.get(`/api/v1/admin/users?status=suspended&search=Status${tag}`, { token: admin.access });
      expect(suspended.body.data.map((u: any) => u.id)).toEqual([target.id]);
      const active = await api.get(`/api/v1/admin/users?status=active&search=Status${tag}`, { token: admin.access });
      expect(active.body.data).toEqual([]);
      const unverified = await api.get(`/api/v1/admin/users?is_verified=false&search=listed${tag}`, { token: admin.access });
      expect(unverified.body.pagination.count).toBe(4);
    });

    it('rejects bad filters with 400 naming them', async () => {
      const res = await api.get('/api/v1/admin/users?role=superuser&status=gone&is_verified=maybe&ordering=password_hash', { token: admin.access });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['is_verified', 'ordering', 'role', 'status']);
      const order = await api.get('/api/v1/admin/users?ordering=password_hash', { token: admin.access });
      expect(order.status).toBe(400);
      expect(order.body.errors.ordering).toBeDefined();
    });
  });

  describe('GET /admin/friends', () => {
    it('lists friends only, with their verification state', async () => {
      const tag = uniqueSuffix();
      const verified = await registerUser(api, { role: 'friend', last_name: `Pal${tag} A` });
      await registerUser(api, { role: 'friend', last_name: `Pal${tag} B` });
      await registerUser(api, { role: 'therapist', last_name: `Pal${tag} C` });
      await patchUser(manager, verified.id, { is_verified: true });
      const all = await api.get(`/api/v1/admin/friends?search=Pal${tag}&ordering=last_name`, { token: manager.access });
      expect(all.status).toBe(200);
      expect(all.body.data.map((u: any) => [u.last_name, u.role, u.is_verified])).toEqual([
        [`Pal${tag} A`, 'friend', true],
        [`Pal${tag} B`, 'friend', false],
      ]);
      const pending = await api.get(`/api/v1/admin/friends?search=Pal${tag}&is_verified=false`, { token: manager.access });
      expect(pending.body.data.map((u: any) => u.last_name)).toEqual([`Pal${tag} B`]);
    });
  });

  describe('PATCH /admin/users/{id}', () => {
    it('verifies a therapist (manager), which they see at once', async () => {
      const therapist = await registerUser(api, { role: 'therapist' });
      const res = await patchUser(manager, therapist.id, { is_verified: true, reason: 'licence checked' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: therapist.id, is_verified: true, role: 'therapist' });
      expect((await api.get('/api/v1/users/me', { token: therapist.access })).body.data.is_verified).toBe(true);
      const entry = await db.getRepository(AuditLogEntry).findOneByOrFail({ targetId: therapist.id, action: 'admin.provider_verified' });
      expect(entry).toMatchObject({ actorId: manager.id, detail: { reason: 'licence checked' } });
    });

    it('refuses to verify a client (400)', async () => {
      const res = await patchUser(admin, client.id, { is_verified: true });
      expect(res.status).toBe(400);
      expect(res.body.errors.is_verified).toBeDefined();
    });

    it('suspends (ending every session, refusing sign-in) and reactivates', async () => {
      const target = await registerUser(api);
      const suspended = await patchUser(manager, target.id, { status: 'suspended' });
      expect(suspended.status).toBe(200);
      expect(suspended.body.data.status).toBe('suspended');
      expect((await api.get('/api/v1/users/me', { token: target.access })).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refresh: target.refresh })).status).toBe(401);
      const refused = await login(api, { email: target.email }, target.password);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('AUTH.ACCOUNT_SUSPENDED');
      // A wrong password still answers like any wrong password.
      expect((await login(api, { email: target.email }, 'wrong-password-x')).status).toBe(401);

      const reactivated = await patchUser(manager, target.id, { status: 'active' });
      expect(reactivated.body.data.status).toBe('active');
      expect((await login(api, { email: target.email }, target.password)).status).toBe(200);
      const actions = (await db.getRepository(AuditLogEntry).findBy({ targetId: target.id })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['admin.user_suspended', 'admin.user_reactivated']));
    });

    it('lets an admin change roles; the change applies to existing sessions at once', async () => {
      const target = await registerUser(api);
      expect((await api.get('/api/v1/admin/users', { token: target.access })).status).toBe(403);
      const res = await patchUser(admin, target.id, { role: 'manager' });
      expect(res.status).toBe(200);
      expect(res.body.data.role).toBe('manager');
      expect((await api.get('/api/v1/admin/users', { token: target.access })).status).toBe(200);
      const toFriend = await patchUser(admin, target.id, { role: 'friend' });
      expect(toFriend.body.data).toMatchObject({ role: 'friend', is_verified: false });
      const entries = await db.getRepository(AuditLogEntry).find({ where: { targetId: target.id, action: 'admin.role_changed' }, order: { occurredAt: 'ASC' } });
      expect(entries.map((e) => e.detail)).toEqual([
        { from: 'client', to: 'manager' },
        { from: 'manager', to: 'friend' },
      ]);
    });

    it('refuses a manager promoting someone to admin (403), or changing any role, and leaves the user unchanged', async () => {
      const target = await registerUser(api);
      const before = await db.getRepository(User).findOneByOrFail({ id: target.id });
      const promote = await patchUser(manager, target.id, { role: 'admin' });
      expect(promote.status).toBe(403);
      expect(promote.body.code).toBe('ADMIN.CHANGE_FORBIDDEN');
      expect((await patchUser(manager, target.id, { role: 'therapist', status: 'suspended' })).status).toBe(403);
      expect(await db.getRepository(User).findOneByOrFail({ id: target.id })).toEqual(before);
    });

    it('refuses a manager touching admin or manager accounts', async () => {
      expect((await patchUser(manager, admin.id, { status: 'suspended' })).status).toBe(403);
      const otherManager = await createUserWithRole(api, Role.Manager);
      expect((await patchUser(manager, otherManager.id, { status: 'suspended' })).status).toBe(403);
      expect((await api.get('/api/v1/users/me', { token: admin.access })).status).toBe(200);
    });

    it('never demotes or suspends the last active admin (409)', async () => {
      // Make `admin` the only active admin.
      const users = db.getRepository(User);
      for (const other of await users.findBy({ role: Role.Admin })) {
        if (other.id !== admin.id) await users.update({ id: other.id }, { role: Role.Manager });
      }
      const demote = await patchUser(admin, admin.id, { role: 'manager' });
      expect(demote.status).toBe(409);
      expect(demote.body.code).toBe('USERS.LAST_ADMIN');
      const suspend = await patchUser(admin, admin.id, { status: 'suspended' });
      expect(suspend.status).toBe(409);
      expect((await users.findOneByOrFail({ id: admin.id })).role).toBe('admin');

      // With a second admin either may step down, but two admins demoting each other at once cannot both win.
      const second = await createUserWithRole(api, Role.Admin);
      const [a, b] = await Promise.all([patchUser(admin, second.id, { role: 'client' }), patchUser(second, admin.id, { role: 'client' })]);
      expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
      expect([403, 409]).toContain([a.status, b.status].find((s) => s !== 200));
      expect(await users.countBy({ role: Role.Admin, status: UserStatus.Active })).toBe(1);
      if (b.status === 200) admin = second;
    });

    it('answers unknown, deleted and malformed ids, and bad bodies, without changing anything', async () => {
      const missing = await patchUser(admin, '00000000-0000-4000-8000-000000000000', { status: 'suspended' });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('COMMON.NOT_FOUND');
      const gone = await registerUser(api);
      await api.request('DELETE', '/api/v1/users/me', { body: { password: gone.password }, token: gone.access });
      expect((await patchUser(admin, gone.id, { status: 'active' })).status).toBe(404);
      expect((await patchUser(admin, 'nope', { status: 'active' })).status).toBe(400);
      const empty = await patchUser(admin, client.id, {});
      expect(empty.status).toBe(400);
      const extra = await patchUser(admin, client.id, { status: 'active', email: 'x@example.com' });
      expect(extra.status).toBe(400);
      expect(extra.body.errors.email).toBeDefined();
      const deleted = await patchUser(admin, client.id, { status: 'deleted' });
      expect(deleted.status).toBe(400);
      expect(deleted.body.errors.status).toBeDefined();
    });
  });

  describe('GET /admin/audit-log', () => {
    it('has an entry for every kind of security event, with filters and pagination', async () => {
      // Produce the events not yet produced by the tests above.
      const user = await registerUser(api);
      await login(api, { email: user.email }, 'wrong-password-1');
      await login(api, { email: user.email }, 'wrong-password-2'); // locks (LOGIN_MAX_FAILURES=2)
      await db.getRepository(User).update({ id: user.id }, { lockedUntil: null });
      const session = (await login(api, { email: user.email }, user.password)).body.data;
      await api.post('/api/v1/auth/refresh', { refresh: session.refresh });
      await api.post('/api/v1/auth/refresh', { refresh: session.refresh }); // reuse
      const setup = await api.post('/api/v1/auth/2fa/setup', { password: user.password }, { token: user.access });
      const device = new TotpDevice(setup.body.data.secret);
      const codes = (await api.post('/api/v1/auth/2fa/enable', { code: await device.code() }, { token: user.access })).body.data.recovery_codes;
      await api.post('/api/v1/auth/2fa/recovery-codes', { password: user.password, code: await device.code() }, { token: user.access });
      await api.post('/api/v1/auth/2fa/disable', { password: user.password, code: await device.code() }, { token: user.access });
      expect(codes).toHaveLength(10);
      const token = await api.post('/api/v1/auth/api-tokens', { name: 'audit' }, { token: user.access });
      await api.delete(`/api/v1/auth/api-tokens/${token.body.data.id}`, { token: user.access });
      await login(api, { email: user.email }, user.password);
      const otherDevice = (await api.get('/api/v1/auth/sessions', { token: user.access })).body.data.find((s: { current: boolean }) => !s.current);
      expect((await api.delete(`/api/v1/auth/sessions/${otherDevice.id}`, { token: user.access })).status).toBe(200);
      await api.patch('/api/v1/users/me', { email: `moved-${uniqueSuffix()}@example.com`, current_password: user.password }, { token: user.access });
      await api.patch('/api/v1/users/me', { password: `another-calm-phrase-${uniqueSuffix()}`, current_password: user.password }, { token: user.access });
      await api.post('/api/v1/auth/logout-all', undefined, { token: user.access });
      const recovery = await registerUser(api);
      const rs = await api.post('/api/v1/auth/2fa/setup', { password: recovery.password }, { token: recovery.access });
      const rcodes = (await api.post('/api/v1/auth/2fa/enable', { code: await new TotpDevice(rs.body.data.secret).code() }, { token: recovery.access })).body.data
        .recovery_codes;
      const challenge = (await login(api, { email: recovery.email }, recovery.password)).body.data.challenge_token;
      await api.post('/api/v1/auth/login/2fa', { challenge_token: challenge, recovery_code: rcodes[0] });
      const verifyMe = await registerUser(api, { role: 'friend' });
      await patchUser(admin, verifyMe.id, { is_verified: true });
      await patchUser(admin, verifyMe.id, { is_verified: false });
      // Suspension, reactivation, a role change and an erasure, so this test needs no other to have run.
      const staffChanges = await registerUser(api);
      await patchUser(admin, staffChanges.id, { status: 'suspended' });
      await patchUser(admin, staffChanges.id, { status: 'active' });
      await patchUser(admin, staffChanges.id, { role: 'therapist' });
      const leaving = await registerUser(api);
      expect((await api.request('DELETE', '/api/v1/users/me', { body: { password: leaving.password }, token: leaving.access })).status).toBe(200);

      const seen = new Set<string>();
      for (const action of AUDIT_ACTIONS) {
        const res = await api.get(`/api/v1/admin/audit-log?action=${action}&page_size=1`, { token: admin.access });
        expect(res.status).toBe(200);
        if (res.body.pagination.count > 0) seen.add(action);
        for (const entry of res.body.data) expect(entry.action).toBe(action);
      }
      // Clinical-data access and care events are produced and checked by their features' tests
      // (chat.*: chat tests; care.*: care-team, mood and goals; safety.*: screeners; alarm.*: alarms;
      // risk.*: risk flags; safety_plan.*: safety plans; retention.*: retention; ticket.*: support tickets;
      // privacy.*: data exports).
      const checkedElsewhere = ['chat.', 'care.', 'safety.', 'alarm.', 'risk.', 'safety_plan.', 'retention.', 'ticket.', 'privacy.'];
      expect([...AUDIT_ACTIONS].filter((a) => !checkedElsewhere.some((prefix) => a.startsWith(prefix)) && !seen.has(a))).toEqual([]);

      const mine = await api.get(`/api/v1/admin/audit-log?target_id=${user.id}&page_size=100`, { token: admin.access });
      expect(mine.body.data.length).toBeGreaterThan(8);
      const first = mine.body.data[0];
      expect(first).toEqual({
        id: expect.any(String),
        occurred_at: expect.any(String),
        actor_id: first.actor_id === null ? null : user.id,
        action: expect.any(String),
        target_type: 'user',
        target_id: user.id,
        request_id: expect.any(String),
        ip: '127.0.0.1',
        detail: expect.any(Object),
      });
      const times = mine.body.data.map((e: any) => e.occurred_at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(mine.text).not.toContain(user.password);

      const byActor = await api.get(`/api/v1/admin/audit-log?actor_id=${admin.id}&action=admin.provider_verified`, { token: admin.access });
      expect(byActor.body.data.map((e: any) => e.target_id)).toContain(verifyMe.id);
      const future = await api.get(`/api/v1/admin/audit-log?date_after=${new Date(Date.now() + 60_000).toISOString()}`, { token: admin.access });
      expect(future.body.pagination.count).toBe(0);
      const past = await api.get(`/api/v1/admin/audit-log?date_before=${new Date(Date.now() - 3_600_000).toISOString()}`, { token: admin.access });
      expect(past.body.pagination.count).toBe(0);
      const bad = await api.get('/api/v1/admin/audit-log?action=auth.everything&actor_id=12', { token: admin.access });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['action', 'actor_id']);
    });

    it('is append-only in the database itself', async () => {
      const entry = await db.getRepository(AuditLogEntry).findOneOrFail({ where: {} });
      await expect(db.getRepository(AuditLogEntry).update({ id: entry.id }, { action: 'auth.login_succeeded' })).rejects.toThrow(/append-only/);
      await expect(db.getRepository(AuditLogEntry).delete({ id: entry.id })).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    });
  });
});
