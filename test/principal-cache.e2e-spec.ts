import { Role } from 'src/common/access/permissions';
import { PrincipalCache } from 'src/modules/auth/principal-cache';
import { DataSource } from 'typeorm';
import { chatCast, ChatCast } from './support/chat';
import { jwtClaims } from './support/jwt';
import { createTestConfig, usingRealPostgres } from './support/test-env';
import { startTestApp, TestApp } from './support/test-app';
import { createUserWithRole, registerUser, TestUser } from './support/users';
import { waitFor } from './support/wait';

/** How long another API node may take to hear of a change: "at once", i.e. within the same second. */
const SAME_SECOND_MS = 1_000;

/** Polls `probe` on node B until it answers `status` (and code), and returns how long that took. */
async function refusedWithin(probe: () => Promise<{ status: number; body: { code?: string } }>, status: number, code?: string): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => {
      const res = await probe();
      return res.status === status && (code === undefined || res.body.code === code) ? true : null;
    },
    `answer ${status} ${code ?? ''}`,
    SAME_SECOND_MS,
    10,
  );
  return Date.now() - started;
}

const cacheOf = (node: TestApp): PrincipalCache => node.resolve(PrincipalCache);
const cachedFor = (node: TestApp, user: TestUser) => {
  const claims = jwtClaims(user.access);
  return cacheOf(node).get(claims.sid as string, user.id);
};

if (usingRealPostgres) {
  describe('principal cache across two API nodes (PostgreSQL change notices)', () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    let cast: ChatCast;

    beforeAll(async () => {
      const config = await createTestConfig();
      nodeA = await startTestApp({ config });
      nodeB = await startTestApp({ config });
      await waitFor(async () => cacheOf(nodeA).active && cacheOf(nodeB).active, 'both nodes listening for change notices');
      cast = await chatCast(nodeA);
    });
    afterAll(async () => {
      await nodeB?.close();
      await nodeA?.close();
    });

    /** A signed-in client whose principal node B has cached. */
    async function cachedOnB(role: Role = Role.Client): Promise<TestUser> {
      const user = role === Role.Client ? await registerUser(nodeA) : await createUserWithRole(nodeA, role);
      expect((await nodeB.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
      expect(cachedFor(nodeB, user)).toMatchObject({ userId: user.id, role });
      return user;
    }

    it('on the node that made the change, the very next request is refused or sees the new role (no wait)', async () => {
      const cachedOnA = async (): Promise<TestUser> => {
        const user = await registerUser(nodeA);
        expect((await nodeA.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
        expect(cachedFor(nodeA, user)).not.toBeNull();
        return user;
      };
      const loggedOut = await cachedOnA();
      await nodeA.post('/api/v1/auth/logout', undefined, { token: loggedOut.access });
      const afterLogout = await nodeA.get('/api/v1/users/me', { token: loggedOut.access });
      expect([afterLogout.status, afterLogout.body.code]).toEqual([401, 'AUTH.SESSION_REVOKED']);

      const suspended = await cachedOnA();
      await nodeA.patch(`/api/v1/admin/users/${suspended.id}`, { status: 'suspended' }, { token: cast.admin.access });
      expect((await nodeA.get('/api/v1/users/me', { token: suspended.access })).status).toBe(401);

      const promoted = await cachedOnA();
      expect((await nodeA.get('/api/v1/admin/users', { token: promoted.access })).status).toBe(403);
      await nodeA.patch(`/api/v1/admin/users/${promoted.id}`, { role: 'manager' }, { token: cast.admin.access });
      expect((await nodeA.get('/api/v1/admin/users', { token: promoted.access })).status).toBe(200);
      await nodeA.patch(`/api/v1/admin/users/${promoted.id}`, { role: 'client' }, { token: cast.admin.access });
      expect((await nodeA.get('/api/v1/admin/users', { token: promoted.access })).status).toBe(403);

      const member = await cachedOnA();
      const group = await nodeA.post('/api/v1/groups', { name: 'Morning circle', category: 'grief' }, { token: cast.therapist.access });
      const groupId = group.body.data.id as string;
      await nodeA.post(`/api/v1/groups/${groupId}/join`, undefined, { token: member.access });
      expect((await nodeA.get(`/api/v1/chats/${groupId}/messages`, { token: member.access })).status).toBe(200);
      await nodeA.delete(`/api/v1/groups/${groupId}/members/${member.id}`, { token: cast.therapist.access });
      expect((await nodeA.get(`/api/v1/chats/${groupId}/messages`, { token: member.access })).status).toBe(404);
    });

    it('serves a checked token from the cache: the same principal, no database read', async () => {
      const user = await cachedOnB();
      const me = await nodeB.get('/api/v1/users/me', { token: user.access });
      expect(me.body.data).toMatchObject({ id: user.id, role: 'client' });
    });

    it('a session revoked through node A is refused on node B within the same second', async () => {
      const user = await cachedOnB();
      expect((await nodeA.post('/api/v1/auth/logout', undefined, { token: user.access })).status).toBeLessThan(300);
      const took = await refusedWithin(() => nodeB.get('/api/v1/users/me', { token: user.access }), 401, 'AUTH.SESSION_REVOKED');
      expect(took).toBeLessThan(SAME_SECOND_MS);
      expect(cachedFor(nodeB, user)).toBeNull();
    });

    it('an account suspended through node A is refused on node B within the same second', async () => {
      const user = await cachedOnB();
      expect((await nodeA.patch(`/api/v1/admin/users/${user.id}`, { status: 'suspended' }, { token: cast.admin.access })).status).toBe(200);
      await refusedWithin(() => nodeB.get('/api/v1/users/me', { token: user.access }), 401, 'AUTH.SESSION_REVOKED');
    });

    it('a role changed through node A takes effect on node B, both ways, within the same second', async () => {
      const user = await cachedOnB();
      expect((await nodeB.get('/api/v1/admin/users', { token: user.access })).status).toBe(403);
      expect((await nodeA.patch(`/api/v1/admin/users/${user.id}`, { role: 'manager' }, { token: cast.admin.access })).status).toBe(200);
      await refusedWithin(() => nodeB.get('/api/v1/admin/users', { token: user.access }), 200);
      expect((await nodeA.patch(`/api/v1/admin/users/${user.id}`, { role: 'client' }, { token: cast.admin.access })).status).toBe(200);
      await refusedWithin(() => nodeB.get('/api/v1/admin/users', { token: user.access }), 403);
    });

    it('a change written by anyone else (a command, SQL by hand) reaches every node', async () => {
      const user = await cachedOnB();
      await nodeA.resolve(DataSource).query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
      await refusedWithin(() => nodeB.get('/api/v1/users/me', { token: user.access }), 403, 'AUTH.ACCOUNT_SUSPENDED');
      await refusedWithin(() => nodeA.get('/api/v1/users/me', { token: user.access }), 403, 'AUTH.ACCOUNT_SUSPENDED');
    });

    it('a member removed from a group through node A reads nothing more of it on node B', async () => {
      const member = await cachedOnB();
      const group = await nodeA.post('/api/v1/groups', { name: 'Evening circle', category: 'anxiety' }, { token: cast.therapist.access });
      expect(group.status).toBe(201);
      const groupId = group.body.data.id as string;
      expect((await nodeA.post(`/api/v1/groups/${groupId}/join`, undefined, { token: member.access })).status).toBeLessThan(300);
      expect((await nodeB.get(`/api/v1/chats/${groupId}/messages`, { token: member.access })).status).toBe(200);
      expect((await nodeA.delete(`/api/v1/groups/${groupId}/members/${member.id}`, { token: cast.therapist.access })).status).toBeLessThan(300);
      await refusedWithin(() => nodeB.get(`/api/v1/chats/${groupId}/messages`, { token: member.access }), 404, 'CHAT.NOT_FOUND');
    });

    it('while the change notices are not heard, nothing is served from the cache; it resumes once they are', async () => {
      const user = await cachedOnB();
      const db = nodeA.resolve(DataSource);
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'haven-principal-cache'`);
      await waitFor(async () => (!cacheOf(nodeB).active ? true : null), 'node B to notice the lost connection', 5_000);
      expect(cachedFor(nodeB, user)).toBeNull();
      // Still checked directly meanwhile.
      expect((await nodeB.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
      await waitFor(async () => (cacheOf(nodeA).active && cacheOf(nodeB).active ? true : null), 'both nodes listening again', 10_000);
      await nodeA.post('/api/v1/auth/logout', undefined, { token: user.access });
      await refusedWithin(() => nodeB.get('/api/v1/users/me', { token: user.access }), 401, 'AUTH.SESSION_REVOKED');
    });
  });
} else {
  describe('principal cache in the zero-setup shape', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp();
    });
    afterAll(() => api?.close());

    it('is off: one process checks every request directly, so a revoked session is refused at once', async () => {
      const user = await registerUser(api);
      expect((await api.get('/api/v1/users/me', { token: user.access })).status).toBe(200);
      expect(cacheOf(api).active).toBe(false);
      expect(cachedFor(api, user)).toBeNull();
      await api.resolve(DataSource).query(`UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1`, [user.id]);
      const res = await api.get('/api/v1/users/me', { token: user.access });
      expect([res.status, res.body.code]).toEqual([401, 'AUTH.SESSION_REVOKED']);
    });
  });
}
