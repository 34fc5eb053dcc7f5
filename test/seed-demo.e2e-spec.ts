import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScripts, runScript, ScriptResult } from './support/scripts';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, usingRealPostgres } from './support/test-env';
import { login, loginAs, strongPassword } from './support/users';

// Each case spawns the command, which boots the app and may open an embedded database: allow for a busy machine.
jest.setTimeout(300_000);

const ROLES = ['admin', 'therapist', 'client', 'friend'] as const;
type DemoRole = (typeof ROLES)[number];
type Credentials = Record<DemoRole, { email: string; password: string }>;

function expectSuccess(result: ScriptResult): void {
  if (result.code !== 0) throw new Error(`seed:demo exited with ${result.code}:\n${result.stderr}${result.stdout}`);
}

/** The credentials table the command prints: one `  <role>  <email>  <password>` line per account. */
function credentialsIn(stdout: string): Credentials {
  const found = new Map<string, { email: string; password: string }>();
  for (const [, role, email, password] of stdout.matchAll(/^ {2}(admin|therapist|client|friend) +(\S+@\S+) +(\S+)/gm)) found.set(role, { email, password });
  expect([...found.keys()].sort()).toEqual([...ROLES].sort());
  return Object.fromEntries(found) as Credentials;
}

/**
 * Signs in as every printed account and checks what the demo promises: the roles, verified
 * providers, the client's direct chat with the therapist and the group with its members
 * and messages. Returns the counts, to compare across runs.
 */
async function expectDemo(api: TestApp, credentials: Credentials): Promise<{ chatMessages: number; groups: number }> {
  const users: Partial<Record<DemoRole, { id: string; access: string }>> = {};
  for (const role of ROLES) {
    const res = await login(api, { email: credentials[role].email }, credentials[role].password);
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ email: credentials[role].email, role, is_verified: true });
    users[role] = { id: res.body.data.user.id, access: res.body.data.access };
  }
  const { client, therapist, friend, admin } = users as Record<DemoRole, { id: string; access: string }>;

  const chats = await api.get('/api/v1/chats', { token: client.access });
  expect(chats.status).toBe(200);
  const direct = chats.body.data.find((c: any) => c.kind === 'direct');
  expect(direct.participants.map((p: any) => p.id)).toContain(therapist.id);
  const history = await api.get(`/api/v1/chats/${direct.id}/messages`, { token: therapist.access });
  expect(history.status).toBe(200);
  expect(history.body.data.length).toBeGreaterThanOrEqual(3);
  expect(new Set(history.body.data.map((m: any) => m.sender_id))).toEqual(new Set([client.id, therapist.id]));
  expect(history.body.data.every((m: any) => typeof m.text === 'string' && m.text.length > 0)).toBe(true);

  const groups = await api.get('/api/v1/groups', { token: friend.access });
  const mine = groups.body.data.filter((g: any) => g.is_member);
  expect(mine).toHaveLength(1);
  const members = await api.get(`/api/v1/groups/${mine[0].id}/members`, { token: friend.access });
  expect(members.body.data.map((m: any) => m.id).sort()).toEqual([client.id, therapist.id, friend.id].sort());
  expect(members.body.data.find((m: any) => m.id === therapist.id).group_role).toBe('moderator');
  const groupHistory = await api.get(`/api/v1/chats/${mine[0].id}/messages`, { token: client.access });
  expect(groupHistory.body.data.length).toBeGreaterThanOrEqual(2);

  // The admin is a real admin: the staff list shows the four demo accounts.
  const staffView = await api.get('/api/v1/admin/users?search=demo.haven.test', { token: admin.access });
  expect(staffView.status).toBe(200);
  expect(staffView.body.pagination.count).toBe(4);
  return { chatMessages: history.body.data.length, groups: groups.body.pagination.count };
}

describe('npm run seed:demo', () => {
  let build: ReturnType<typeof buildScripts>;
  const dataDirs: string[] = [];
  const newDataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-seed-demo-'));
    dataDirs.push(dir);
    return dir;
  };
  const seedDemo = (env: Record<string, string>): Promise<ScriptResult> =>
    runScript(build.script('seed-demo'), [], { env: { NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env }, timeoutMs: 240_000 });

  beforeAll(() => {
    build = buildScripts();
  });
  afterAll(() => {
    build?.remove();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('zero-setup (embedded database in DATA_DIR)', () => {
    it('seeds a fresh data directory; a server started on it serves the demo; later runs add nothing and print the same credentials', async () => {
      const dataDir = newDataDir();
      const first = await seedDemo({ DATA_DIR: dataDir });
      expectSuccess(first);
      expect(first.stdout).toContain(`Demo data created in the embedded database in ${dataDir}`);
      const credentials = credentialsIn(first.stdout);

      const api = await startTestApp({ embedded: true, withoutRedis: true, env: { DATA_DIR: dataDir } });
      try {
        const counts = await expectDemo(api, credentials);

        // Again, while the server owns the data directory: through its database port.
        const second = await seedDemo({ DATA_DIR: dataDir });
        expectSuccess(second);
        expect(second.stdout).toContain(`running Haven server (pid ${process.pid})`);
        expect(second.stdout).toContain('Demo data already exists');
        expect(second.stdout).not.toContain('Repaired');
        expect(credentialsIn(second.stdout)).toEqual(credentials);
        expect(await expectDemo(api, credentials)).toEqual(counts);

        // A demo password changed by hand is set back to the printed one (and the change's sessions end).
        const client = await loginAs(api, credentials.client.email, credentials.client.password);
        const changed = await api.patch('/api/v1/users/me', { password: strongPassword(), current_password: credentials.client.password }, { token: client.access });
        expect(changed.status).toBe(200);
        expect((await login(api, { email: credentials.client.email }, credentials.client.password)).status).toBe(401);
        const third = await seedDemo({ DATA_DIR: dataDir });
        expectSuccess(third);
        expect(third.stdout).toContain('Repaired: client password');
        expect(credentialsIn(third.stdout)).toEqual(credentials);
        expect((await api.get('/api/v1/users/me', { token: client.access })).status).toBe(401);
        expect(await expectDemo(api, credentials)).toEqual(counts);
      } finally {
        await api.close();
      }
    });

    it('seeds through a running server whose data directory is still empty of demo data', async () => {
      const dataDir = newDataDir();
      const api = await startTestApp({ embedded: true, withoutRedis: true, env: { DATA_DIR: dataDir } });
      try {
        const result = await seedDemo({ DATA_DIR: dataDir });
        expectSuccess(result);
        expect(result.stdout).toMatch(/Demo data created in the running Haven server/);
        await expectDemo(api, credentialsIn(result.stdout));
      } finally {
        await api.close();
      }
    });

    it('refuses NODE_ENV=production and DATA_DIR=memory://, creating nothing', async () => {
      const dataDir = newDataDir();
      const production = await seedDemo({ NODE_ENV: 'production', DATA_DIR: dataDir });
      expect(production.code).toBe(2);
      expect(production.stderr).toMatch(/refusing to run with NODE_ENV=production/);
      expect(production.stdout).not.toMatch(/demo\.haven\.test/);
      expect(readdirSync(dataDir)).toEqual([]);

      const memory = await seedDemo({ DATA_DIR: 'memory://' });
      expect(memory.code).toBe(2);
      expect(memory.stderr).toMatch(/memory:\/\/.*Set DATA_DIR or DATABASE_URL/);
    });
  });

  // The PostgreSQL shape needs a PostgreSQL server; the embedded cases above cover the same code through a database URL.
  if (usingRealPostgres) {
    describe('against a PostgreSQL server (DATABASE_URL)', () => {
      it('seeds the database, and a server on it serves the demo', async () => {
        const databaseUrl = await createTestDatabase();
        // DATA_DIR only holds the generated secrets here; both processes read the same ones.
        const dataDir = newDataDir();
        const result = await seedDemo({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
        expectSuccess(result);
        expect(result.stdout).toContain('Demo data created in the database at DATABASE_URL');
        const api = await startTestApp({ env: { DATABASE_URL: databaseUrl, DATA_DIR: dataDir } });
        try {
          await expectDemo(api, credentialsIn(result.stdout));
        } finally {
          await api.close();
        }
      });
    });
  }
});
