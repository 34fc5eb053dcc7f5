/**
 * What the benchmarks share: throwaway PostgreSQL and Redis, the server under test started
 * as in production, users signed in through Haven's own services, CPU time from /proc,
 * and the numbers' formatting.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { PasswordService } from 'src/modules/auth/password.service';
import { SessionsService } from 'src/modules/auth/sessions.service';
import { DataSource } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../../../scripts/services.js') as {
  postgresBin(): string | null;
  which(bin: string): string | null;
  startPostgres(bin: string, options?: { maxConnections?: number }): Promise<{ url: string; label: string; stop(): void }>;
  startRedis(bin: string): Promise<{ url: string; label: string; stop(): void }>;
};

export const log = (line: string): void => console.log(`[bench] ${line}`);
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface BenchUsers {
  ids: string[];
  tokens: string[];
}

/** Creates users straight in the database (one password hash for all) and signs each in. */
export async function createUsers(app: INestApplicationContext, role: string, count: number): Promise<BenchUsers> {
  const db = app.get(DataSource);
  const hash = await app.get(PasswordService).hash(randomBytes(12).toString('hex'));
  const ids: string[] = [];
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, () => randomUUID());
    await db.query(
      `INSERT INTO users (id, email, password_hash, first_name, last_name, role, is_verified)
       SELECT id, 'bench-' || id || '@example.com', $2, 'Bench', 'User', $3, true FROM unnest($1::uuid[]) AS id`,
      [batch, hash, role],
    );
    ids.push(...batch);
  }
  const sessions = app.get(SessionsService);
  const tokens: string[] = [];
  for (const id of ids) tokens.push((await sessions.start(id, SYSTEM_CONTEXT)).access);
  return { ids, tokens };
}

/** The baseline: how many single-row INSERTs/s PostgreSQL takes from `concurrency` clients, one statement each. */
export async function insertRate(url: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: concurrency });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_insert (id uuid PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
  let count = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await pool.query('INSERT INTO bench_insert (id, body) VALUES ($1, $2)', [randomUUID(), 'x'.repeat(64)]);
        count++;
      }
    }),
  );
  await pool.end();
  return count / seconds;
}

/** A signed-in JSON request; throws on a non-2xx answer. */
export async function sendJson<T>(url: string, method: 'PUT' | 'POST', path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { data?: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data as T;
}

export function postJson<T>(url: string, path: string, token: string, body: unknown): Promise<T> {
  return sendJson<T>(url, 'POST', path, token, body);
}

export interface CpuSeconds {
  /** The Haven server: its primary process and the API workers it forked. */
  server: number;
  postgres: number;
  redis: number;
  /** This process: the load client thread (and the idle seeding context). */
  client: number;
}

/** CPU seconds used so far, from Linux /proc (zeros elsewhere). */
export async function cpuSeconds(serverPid: number): Promise<CpuSeconds> {
  const { readdir, readFile } = await import('node:fs/promises');
  const usage = process.cpuUsage();
  const totals: CpuSeconds = { server: 0, postgres: 0, redis: 0, client: (usage.user + usage.system) / 1e6 };
  const ticksPerSecond = 100;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const name = /\((.*)\)/.exec(stat)?.[1];
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    // With the CPU of children already reaped (PostgreSQL backends that ended, exited workers), so totals never go backwards.
    const withReaped = own + (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
    const parent = Number(fields[1]);
    if (Number(pid) === serverPid) totals.server += withReaped;
    else if (parent === serverPid) totals.server += own;
    else if (name === 'postgres') totals.postgres += withReaped;
    else if (name === 'redis-server') totals.redis += own;
  }
  return totals;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The Node flags the API runs with in production, read from `npm run start:prod` (the Docker
 * image's CMD carries the same ones: test/production-start.e2e-spec.ts), so a bench never
 * measures a server started differently.
 */
export const API_NODE_FLAGS: string[] = (() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { scripts } = require('../../../package.json') as { scripts: Record<string, string> };
  return scripts['start:prod'].split(/\s+/).filter((word) => word.startsWith('--'));
})();

/**
 * The server under test: `node dist/src/main.js` as in production, with API_WORKERS
 * processes (`apiWorkers`, else BENCH_API_WORKERS, else one per core). BENCH_PROFILE=dir
 * makes each process write a V8 CPU profile there when it exits; BENCH_NODE_FLAGS adds Node
 * flags (space-separated, e.g. `--trace-gc`) to the server's.
 */
export async function startServer(env: Record<string, string>, apiWorkers?: number): Promise<{ url: string; child: ChildProcess; workers: number; stop(): Promise<void> }> {
  const { cpus } = await import('node:os');
  const port = await freePort();
  const workers = apiWorkers ?? Number(process.env.BENCH_API_WORKERS ?? cpus().length);
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const extraFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...API_NODE_FLAGS, ...extraFlags, ...profile, `${__dirname}/../../src/main.js`], {
    env: { ...process.env, ...env, API_WORKERS: String(workers), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Every worker must be up: each probe is a new connection, and the cluster hands
  // connections to the workers in turn, so several answers in a row reach all of them.
  for (let attempt = 0, answeredInARow = 0; answeredInARow < workers * 4; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (attempt > 600) throw new Error('the server did not come up in 60 s');
    const ok = await fetch(`${url}/health`, { headers: { connection: 'close' } }).then((r) => r.ok, () => false);
    answeredInARow = ok ? answeredInARow + 1 : 0;
    if (!ok) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    workers,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface BenchServices {
  /** The bench database (created empty). */
  dbUrl: string;
  redisUrl: string;
  label: string;
  stop(): void;
}

/** A throwaway PostgreSQL (with a `haven_bench` database) and Redis; null when the binaries are missing. */
export async function startBenchServices(): Promise<BenchServices | null> {
  const pgBin = services.postgresBin();
  const redisBin = services.which('redis-server');
  if (!pgBin || !redisBin) {
    console.error('bench: needs PostgreSQL binaries (initdb, pg_ctl) and redis-server (apt-get install -y postgresql redis-server)');
    return null;
  }
  const pg = await services.startPostgres(pgBin, { maxConnections: 200 });
  const redis = await services.startRedis(redisBin);
  const admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query('CREATE DATABASE haven_bench');
  await admin.end();
  return {
    dbUrl: pg.url.replace(/\/postgres$/, '/haven_bench'),
    redisUrl: redis.url,
    label: `${pg.label}, ${redis.label}`,
    stop: () => {
      redis.stop();
      pg.stop();
    },
  };
}

/** Haven's environment in the benchmarks: production, rate limits off, fresh secrets. */
export function benchEnv(bench: BenchServices): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: bench.dbUrl,
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: bench.redisUrl,
    RATE_LIMIT_ENABLED: 'false',
    JWT_SECRET: randomBytes(48).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: 'memory://',
  };
}

/** CPU seconds one process has used so far (with its children already reaped), from Linux /proc; 0 when it is gone or elsewhere. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/**
 * The job worker as in production: `node dist/src/worker.js`, a child of the bench (not of
 * the server). It announces nothing at LOG_LEVEL=warn: the caller decides when it is ready
 * (its jobs run). `kill()` is SIGKILL (a crash); `stop()` is SIGTERM (jobs in flight finish).
 */
export function startWorker(env: Record<string, string>): { child: ChildProcess; pid: number; kill(): Promise<void>; stop(): Promise<void> } {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, `${__dirname}/../../src/worker.js`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, pid: child.pid!, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
