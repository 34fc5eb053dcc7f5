/**
 * Start-up benchmark: `npm run bench:startup`. Measures, in one run, the time from
 * spawning `node dist/src/main.js` in the zero-setup shape (no DATABASE_URL or REDIS_URL,
 * a fresh temporary DATA_DIR) to the first 200 from /health:
 *
 *  - first start: empty data directory (creates the embedded database, runs every migration);
 *  - warm start: the same data directory again;
 *  - baseline: a bare Fastify server answering /health, spawned the same way (`node <file>`),
 *    so the ratios Haven ÷ baseline say how much of the time is Haven's own.
 *
 * Each round runs all three, interleaved, so a machine getting busier slows them alike.
 * BENCH_ROUNDS sets the rounds (default 5). Figures are medians; the load average is
 * printed because start-up time follows it closely.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const START_TIMEOUT_MS = 120_000;
const POLL_MS = 10;

const log = (line: string): void => console.log(`[bench] ${line}`);
const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** The baseline server: Fastify (the HTTP layer Haven runs on) with one route and nothing else. */
function writeBaselineServer(dir: string): string {
  const file = join(dir, 'hello-fastify.js');
  writeFileSync(
    file,
    `const fastify = require(${JSON.stringify(require.resolve('fastify'))})({ logger: false });
fastify.get('/health', async () => ({ status: 'healthy' }));
fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error) => { console.error(error); process.exit(1); });
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
`,
  );
  return file;
}

/** Only what a fresh clone has: no DATABASE_URL, REDIS_URL or other Haven variables from this shell. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, NODE_NO_WARNINGS: '1', ...extra };
}

/** Spawns `node file`, returns the ms until /health answers 200, then stops the process (SIGTERM) and waits for it. */
async function timeToFirstAnswer(file: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const begin = performance.now();
  const child: ChildProcess = spawn(process.execPath, [file], { env: cleanEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${file} exited before answering:\n${stderr}`);
      if (performance.now() - begin > START_TIMEOUT_MS) throw new Error(`${file} did not answer /health within ${START_TIMEOUT_MS} ms`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - begin;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<number> {
  const haven = join(__dirname, '..', 'src', 'main.js');
  const work = mkdtempSync(join(tmpdir(), 'haven-bench-startup-'));
  try {
    const baselineFile = writeBaselineServer(work);
    log(`machine: ${cpus().length} cores, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // One unmeasured start of each, so the first round does not pay for a cold disk cache alone.
    log('warming the disk cache (not measured)');
    const warmupDir = mkdtempSync(join(work, 'data-'));
    await timeToFirstAnswer(haven, { DATA_DIR: warmupDir });
    await timeToFirstAnswer(baselineFile, {});

    const first: number[] = [];
    const warm: number[] = [];
    const baseline: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const dataDir = mkdtempSync(join(work, 'data-'));
      first.push(await timeToFirstAnswer(haven, { DATA_DIR: dataDir }));
      warm.push(await timeToFirstAnswer(haven, { DATA_DIR: dataDir }));
      baseline.push(await timeToFirstAnswer(baselineFile, {}));
      log(`round ${i}/${ROUNDS}: first start ${round(first.at(-1)!)} ms · warm start ${round(warm.at(-1)!)} ms · bare Fastify ${round(baseline.at(-1)!)} ms`);
    }

    const results = {
      machine: `${cpus().length} cores, node ${process.version}`,
      load_average_after: loadavg().map((l) => round(l, 2)),
      rounds: ROUNDS,
      first_start_ms: { median: round(median(first)), min: round(Math.min(...first)), max: round(Math.max(...first)) },
      warm_start_ms: { median: round(median(warm)), min: round(Math.min(...warm)), max: round(Math.max(...warm)) },
      bare_fastify_ms: { median: round(median(baseline)), min: round(Math.min(...baseline)), max: round(Math.max(...baseline)) },
      ratio_first: round(median(first) / median(baseline), 1),
      ratio_warm: round(median(warm) / median(baseline), 1),
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(
      `medians: first start ${results.first_start_ms.median} ms (${results.ratio_first}× bare Fastify) · warm start ${results.warm_start_ms.median} ms (${results.ratio_warm}×) · bare Fastify ${results.bare_fastify_ms.median} ms`,
    );
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
