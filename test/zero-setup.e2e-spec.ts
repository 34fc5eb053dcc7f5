import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitFor } from './support/wait';
import { freePort } from './support/ports';

const root = join(__dirname, '..');


/** The environment of a fresh clone: none of Haven's variables, only where to keep data and which port. */
function cleanEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1' };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to npm and the server (one process group), then wait until every process of it has exited. */
async function stop(started: Started): Promise<void> {
  const pid = started.child.pid!;
  if (!groupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  await waitFor(async () => !groupAlive(pid), 'the server to shut down', 15_000, 50);
}

async function healthWithin(port: number, ms: number): Promise<number> {
  const begin = Date.now();
  await waitFor(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
      } catch {
        return false;
      }
    },
    '/health to answer',
    ms,
    100,
  );
  return Date.now() - begin;
}

/** Long enough that only a hung start fails (a first start takes about 5 s on an idle machine). */
const START_BOUND_MS = 120_000;

/** The running server's embedded database port (from its lock file) and password (from secrets.json). */
function embeddedDbCredentials(dataDir: string): { port: number; password: string } {
  const { port } = JSON.parse(readFileSync(join(dataDir, 'embedded-db.json'), 'utf8')) as { port: number };
  const { embedded_db_password: password } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { embedded_db_password: string };
  return { port, password };
}

async function withEmbeddedDb<T>(dataDir: string, work: (db: Client) => Promise<T>): Promise<T> {
  const { port, password } = embeddedDbCredentials(dataDir);
  const db = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

describe('zero-setup: npm start with no environment', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'haven-zero-'));
  const restartDir = mkdtempSync(join(tmpdir(), 'haven-zero-restart-'));
  let port: number;
  let first: Started | undefined;
  let firstStartMs: number;
  const others: Started[] = [];

  // One server on a fresh data directory for the whole file; each test reads it without changing what the others see.
  beforeAll(async () => {
    port = await freePort();
    first = start(cleanEnv(dataDir, port));
    firstStartMs = await healthWithin(port, START_BOUND_MS);
  }, START_BOUND_MS + 30_000);
  afterAll(async () => {
    for (const s of [first, ...others]) if (s) await stop(s);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(restartDir, { recursive: true, force: true });
  });

  // The bound only catches a hang: a busy CI machine may start slowly. Start times are figures (npm run bench:startup), not assertions.
  it('serves /health on first run, with the embedded database', async () => {
    expect(firstStartMs).toBeLessThan(START_BOUND_MS);
    const status = await (await fetch(`http://127.0.0.1:${port}/status`)).json();
    expect(status).toMatchObject({ database: 'healthy', cache: 'not configured', queue: { driver: 'in-process' } });
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
  }, START_BOUND_MS + 30_000);

  it('starts without a warning (route syntax, deprecations): the first warning a developer sees means something', () => {
    const warnings = first!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg?: string })
      .filter((l) => l.level >= 40);
    expect(warnings).toEqual([]);
  });

  it('refuses a second process on the same data directory instead of corrupting it', async () => {
    const intruder = start(cleanEnv(dataDir, await freePort()));
    const code = await intruder.exited;
    expect(code).not.toBe(0);
    expect(intruder.output()).toMatch(/already open by process \d+/);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it('keeps its database port and secrets to itself: files of mode 0600, a password on the port', async () => {
    for (const file of ['embedded-db.json', 'secrets.json']) expect([file, statSync(join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    // The database files: for the server's user only.
    expect(statSync(join(dataDir, 'pglite')).mode & 0o077).toBe(0);
    const { port: dbPort, password } = embeddedDbCredentials(dataDir);
    expect(password.length).toBeGreaterThanOrEqual(32);
    const attempt = (pass: string | undefined) => {
      const client = new Client({ host: '127.0.0.1', port: dbPort, user: 'postgres', password: pass, database: 'postgres' });
      return client.connect().finally(() => client.end().catch(() => undefined));
    };
    // The credentials of an unprotected server, and none at all (pg stops at the password challenge).
    await expect(attempt('postgres')).rejects.toMatchObject({ code: '28P01' });
    await expect(attempt(undefined)).rejects.toThrow(/password/);
    expect(await withEmbeddedDb(dataDir, async (db) => (await db.query('SELECT 1 AS ok')).rows)).toEqual([{ ok: 1 }]);
  });

  it('logs structured JSON with the request id, never bodies, passwords or tokens', async () => {
    const password = 'canary-passphrase-9081-lantern';
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const registered = await post('/api/v1/auth/register', { email: 'logger@example.com', password, first_name: 'Log', last_name: 'Check' });
    expect(registered.status).toBe(201);
    const { access, refresh } = ((await registered.json()) as { data: { access: string; refresh: string } }).data;
    const me = await fetch(`${base}/api/v1/users/me?search=canary-query`, { headers: { authorization: `Bearer ${access}` } });
    const requestId = me.headers.get('x-request-id');
    await post('/api/v1/auth/login', { email: 'logger@example.com', password: 'wrong-canary-password' });
    await post('/api/v1/auth/refresh', { refresh });
    await new Promise((r) => setTimeout(r, 300));
    const lines = first!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { request_id?: string; req?: { url?: string }; msg?: string });
    const access_line = lines.find((l) => l.request_id === requestId);
    expect(access_line).toMatchObject({ msg: 'request completed', req: { url: '/api/v1/users/me' } });
    const everything = first!.output();
    for (const secret of [password, 'wrong-canary-password', access, refresh, 'canary-query']) expect(everything).not.toContain(secret);
  });

  it('logs a failed query by its shape and code, never its parameters (an email and a password hash here)', async () => {
    // A trigger makes the registration's INSERT fail, whose parameters hold the email and the argon2 hash.
    await withEmbeddedDb(dataDir, (db) =>
      db.query(`CREATE FUNCTION haven_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$;
                CREATE TRIGGER haven_test_fail BEFORE INSERT ON users FOR EACH ROW WHEN (NEW.email LIKE 'force-db-error%')
                EXECUTE FUNCTION haven_test_fail();`),
    );
    const email = 'force-db-error-canary@example.com';
    const password = 'canary-db-passphrase-4471';
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, first_name: 'Canary', last_name: 'Check' }),
    });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 300));
    const errorLine = first!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { request_id?: string; msg?: string; err?: { code?: string; query?: string } })
      .find((l) => l.request_id === requestId && l.msg === 'unhandled error while serving a request');
    expect(errorLine?.err).toMatchObject({ code: 'P0001', query: expect.stringContaining('INSERT INTO "users"') });
    const everything = first!.output();
    for (const secret of [email, 'force-db-error-canary', password, '$argon2']) expect([secret, everything.includes(secret)]).toEqual([secret, false]);
    await withEmbeddedDb(dataDir, (db) => db.query('DROP TRIGGER haven_test_fail ON users; DROP FUNCTION haven_test_fail();'));
  });

  it('keeps data across a restart', async () => {
    // Its own data directory and server, so the shared one keeps running for the other tests.
    const restartPort = await freePort();
    const before = start(cleanEnv(restartDir, restartPort));
    others.push(before);
    await healthWithin(restartPort, START_BOUND_MS);
    await withEmbeddedDb(restartDir, (db) =>
      db.query(`INSERT INTO mail_messages (idempotency_key, to_address, subject, text_body, status) VALUES ('keep-me', 'a@b.c', 'kept', 'x', 'outbox')`),
    );
    await stop(before);
    expect(existsSync(join(restartDir, 'embedded-db.json'))).toBe(false);
    const after = start(cleanEnv(restartDir, restartPort));
    others.push(after);
    const ms = await healthWithin(restartPort, START_BOUND_MS);
    expect(ms).toBeLessThan(START_BOUND_MS);
    const rows = await withEmbeddedDb(restartDir, (db) => db.query(`SELECT subject FROM mail_messages WHERE idempotency_key = 'keep-me'`));
    expect(rows.rows).toEqual([{ subject: 'kept' }]);
  }, START_BOUND_MS + 30_000);
});
