import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabaseUrl } from 'src/infrastructure/database/embedded-postgres';
import { AuditLogEntry } from 'src/modules/audit/audit-log.entity';
import { DataSource } from 'typeorm';
import { buildScripts, runScript, ScriptResult } from './support/scripts';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, uniqueSuffix, usingRealPostgres } from './support/test-env';
import { login, strongPassword } from './support/users';

// Each case spawns the command (and some start embedded databases): allow for a busy machine.
jest.setTimeout(240_000);

/** Fails with the command's own error output when it did not succeed. */
function expectSuccess(result: ScriptResult): void {
  if (result.code !== 0) throw new Error(`create-admin exited with ${result.code}:\n${result.stderr}${result.stdout}`);
}

describe('npm run create-admin', () => {
  let build: ReturnType<typeof buildScripts>;
  const dataDirs: string[] = [];
  const newDataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-create-admin-'));
    dataDirs.push(dir);
    return dir;
  };
  const createAdmin = (args: string[], env: Record<string, string>, stdin?: string) =>
    runScript(build.script('create-admin'), args, { env: { NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env }, stdin, timeoutMs: 150_000 });

  /** Signs in as the new admin on a running app and proves the role works. */
  async function expectAdmin(api: TestApp, email: string, password: string): Promise<void> {
    const res = await login(api, { email }, password);
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ email, role: 'admin', is_verified: true });
    expect((await api.get('/api/v1/admin/audit-log', { token: res.body.data.access })).status).toBe(200);
  }

  beforeAll(() => {
    build = buildScripts();
  });
  afterAll(() => {
    build?.remove();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('against a PostgreSQL server (DATABASE_URL)', () => {
    let api: TestApp;
    let databaseUrl: string;

    beforeAll(async () => {
      if (usingRealPostgres) {
        databaseUrl = await createTestDatabase();
        api = await startTestApp({ env: { DATABASE_URL: databaseUrl } });
      } else {
        // No PostgreSQL binaries here: a running embedded database is a PostgreSQL server too.
        const ownerDataDir = newDataDir();
        api = await startTestApp({ embedded: true, withoutRedis: true, env: { DATA_DIR: ownerDataDir } });
        const { port } = JSON.parse(readFileSync(join(ownerDataDir, 'embedded-db.json'), 'utf8')) as { port: number };
        const { embedded_db_password: password } = JSON.parse(readFileSync(join(ownerDataDir, 'secrets.json'), 'utf8')) as { embedded_db_password: string };
        databaseUrl = embeddedDatabaseUrl(port, password);
      }
    });
    afterAll(() => api?.close());

    it('creates an admin with the password from standard input, and audits it', async () => {
      const email = `root-${uniqueSuffix()}@example.com`;
      const password = strongPassword();
      const result = await createAdmin(['--email', email, '--first-name', 'Root', '--last-name', 'Admin'], { DATABASE_URL: databaseUrl, DATA_DIR: newDataDir() }, `${password}\n`);
      expectSuccess(result);
      expect(result.stdout).toContain(`Created admin ${email}`);
      expect(result.stdout).not.toContain(password);
      await expectAdmin(api, email, password);
      const entry = await api.resolve(DataSource).getRepository(AuditLogEntry).findOneByOrFail({ action: 'admin.user_created' });
      expect(entry).toMatchObject({ actorId: null, detail: { role: 'admin' } });
    });

    it('prompts on a terminal twice, without echoing the password', async () => {
      const email = `prompt-${uniqueSuffix()}@example.com`;
      const password = strongPassword();
      // util-linux `script` gives the command a pseudo-terminal; answer each prompt once it is shown.
      const child = spawn('script', ['-q', '-e', '-c', `${process.execPath} ${build.script('create-admin')} --email ${email}`, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, DATA_DIR: newDataDir() },
      });
      let output = '';
      const answered = new Set<string>();
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        for (const prompt of ['Password for the new admin: ', 'Repeat the password: ']) {
          if (output.includes(prompt) && !answered.has(prompt)) {
            answered.add(prompt);
            child.stdin.write(`${password}\r`);
          }
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(answered.size).toBe(2);
      if (code !== 0) throw new Error(`create-admin exited with ${code}:\n${output}`);
      expect(output).toContain(`Created admin ${email}`);
      expect(output).not.toContain(password);
      await expectAdmin(api, email, password);
    });

    it('refuses without --email, without a password, with a weak password or a taken email; nothing is created', async () => {
      const env = { DATABASE_URL: databaseUrl, DATA_DIR: newDataDir() };
      const noEmail = await createAdmin([], env, `${strongPassword()}\n`);
      expect(noEmail.code).toBe(2);
      expect(noEmail.stderr).toMatch(/--email is required/);
      expect(noEmail.stderr).toMatch(/usage: npm run create-admin/);

      const unknown = await createAdmin(['--email', 'x@example.com', '--password', 'hunter2hunter2'], env, '');
      expect(unknown.code).toBe(2);

      const email = `weak-${uniqueSuffix()}@example.com`;
      const noPassword = await createAdmin(['--email', email], env, '');
      expect(noPassword.code).toBe(2);
      expect(noPassword.stderr).toMatch(/no password/);

      const weak = await createAdmin(['--email', email], env, 'password123\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/too common/);
      expect((await login(api, { email }, 'password123')).status).toBe(401);

      const taken = `taken-${uniqueSuffix()}@example.com`;
      const password = strongPassword();
      expectSuccess(await createAdmin(['--email', taken], env, `${password}\n`));
      const again = await createAdmin(['--email', taken.toUpperCase()], env, `${strongPassword()}\n`);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists/);
      await expectAdmin(api, taken, password);
    });
  });

  describe('zero-setup (embedded database in DATA_DIR)', () => {
    it('while the server is running: goes through the server that owns the data directory', async () => {
      const dataDir = newDataDir();
      const api = await startTestApp({ embedded: true, withoutRedis: true, env: { DATA_DIR: dataDir } });
      try {
        // This test process owns the data directory (readEmbeddedOwner ignores its own pid, so read the lock file).
        const lockFile = (): unknown => JSON.parse(readFileSync(join(dataDir, 'embedded-db.json'), 'utf8'));
        const owner = lockFile();
        expect(owner).toMatchObject({ pid: process.pid, port: expect.any(Number) });
        const email = `live-${uniqueSuffix()}@example.com`;
        const password = strongPassword();
        const result = await createAdmin(['--email', email], { DATA_DIR: dataDir }, `${password}\n`);
        expectSuccess(result);
        expect(result.stdout).toContain(`running Haven server (pid ${process.pid})`);
        // The server kept its data directory and sees the new admin at once.
        expect(lockFile()).toEqual(owner);
        await expectAdmin(api, email, password);
      } finally {
        await api.close();
      }
    });

    it('while no server is running: opens the embedded database itself, and the server finds the admin later', async () => {
      const dataDir = newDataDir();
      const email = `cold-${uniqueSuffix()}@example.com`;
      const password = strongPassword();
      const result = await createAdmin(['--email', email], { DATA_DIR: dataDir }, `${password}\n`);
      expectSuccess(result);
      expect(result.stdout).toContain(`embedded database in ${dataDir}`);
      expect(existsSync(join(dataDir, 'embedded-db.json'))).toBe(false);
      expect(existsSync(join(dataDir, 'secrets.json'))).toBe(true);
      const api = await startTestApp({ embedded: true, withoutRedis: true, env: { DATA_DIR: dataDir } });
      try {
        await expectAdmin(api, email, password);
      } finally {
        await api.close();
      }
    });

    it('refuses DATA_DIR=memory:// with a message that says what to do', async () => {
      const result = await createAdmin(['--email', 'mem@example.com'], { DATA_DIR: 'memory://' }, `${strongPassword()}\n`);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/memory:\/\/.*Set DATA_DIR or DATABASE_URL/);
    });
  });
});
