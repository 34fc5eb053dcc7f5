/**
 * Alarm delivery benchmark: `npm run bench:alarms`. Starts a throwaway PostgreSQL and Redis,
 * an SMTP sink in this process, Haven's API as in production (`node dist/src/main.js`,
 * JOBS_RUN_IN_API=false) and ONE separate job worker (`node dist/src/worker.js`, BullMQ).
 * Every alarm is one user's first press (POST /api/v1/alarms) with three emergency contacts,
 * so three emails, each sent by an `alarm.deliver` job.
 *
 *  1. steady: 20 triggers/s for 30 s on a fixed schedule (600 alarms, 1,800 emails).
 *     Latency of an email = the sink's acceptance (end of DATA) − the send of its trigger.
 *     Target: p99 < 1 s, every email delivered.
 *  2. crash: the same load with fresh users; the worker is killed with SIGKILL at 10 s and
 *     started again at 13 s. Target: every delivery sent exactly once (one message per
 *     address at the sink), and every delivery row `sent`.
 *
 * BENCH_ONLY=steady runs phase 1 only; BENCH_RATE and BENCH_SECONDS change the load (to explore,
 * not for the recorded figures). The load average is printed: the latency follows it closely.
 * Exits non-zero only when the harness fails, not on a missed target. Loopback only, bounded
 * in time (about two to three minutes); prints a progress line per step.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { AppModule } from 'src/app.module';
import { loadConfig } from 'src/config/app-config';
import { QueueName } from 'src/infrastructure/queue/jobs';
import { DataSource } from 'typeorm';
import { benchEnv, cpuSeconds, createUsers, log, percentile, processCpuSeconds, round, startBenchServices, startServer, startWorker } from './support/harness';

const RATE_PER_SECOND = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONTACTS = 3;
const WARM_UP_ALARMS = 20;
const KILL_AT_SECONDS = 10;
const RESTART_AT_SECONDS = 13;
const P99_TARGET_MS = 1000;
/** How long the steady phase may take to drain, and the crash phase to recover, after the last trigger. */
const STEADY_DRAIN_MS = 60_000;
const CRASH_DRAIN_MS = 120_000;
/** After the last expected email arrived: time for duplicates (a re-run job) to show up. */
const SETTLE_MS = 5_000;
const REDIS_PREFIX = 'haven';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const now = (): number => performance.now();

interface AcceptedMail {
  to: string;
  messageId: string;
  /** performance.now() when the DATA stream ended, before the sink answered 250. */
  at: number;
}

/** A real SMTP server in this process that keeps who got what, and when it accepted it. */
class SmtpSink {
  readonly accepted: AcceptedMail[] = [];
  readonly byRecipient = new Map<string, AcceptedMail[]>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No reverse DNS of 127.0.0.1 per connection: it would be part of every measured email.
    disableReverseLookup: true,
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const at = now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const headerEnd = raw.search(/\r?\n\r?\n/);
        const headers = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
        const messageId = /^Message-ID:\s*(\S+)/im.exec(headers)?.[1] ?? '';
        for (const recipient of session.envelope.rcptTo) {
          const mail = { to: recipient.address.toLowerCase(), messageId, at };
          this.accepted.push(mail);
          const list = this.byRecipient.get(mail.to);
          if (list) list.push(mail);
          else this.byRecipient.set(mail.to, [mail]);
        }
        callback();
      });
    },
  });

  async start(): Promise<string> {
    // A worker killed mid-conversation resets its pooled connections: that is the test, not a fault of the sink.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') console.error(`[bench] SMTP sink: ${error.message}`);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** How many of these addresses have at least one message. */
  deliveredTo(addresses: string[]): number {
    return addresses.filter((a) => this.byRecipient.has(a)).length;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A bench user: who presses, whom their alarm emails, and when their trigger left. */
interface Presser {
  userId: string;
  token: string;
  addresses: string[];
  sentAt: number;
}

/** Users with CONTACTS emergency contacts each (unique addresses), straight in the database. */
async function createPressers(app: INestApplicationContext, count: number): Promise<Presser[]> {
  const users = await createUsers(app, 'client', count);
  await app.get(DataSource).query(
    `INSERT INTO emergency_contacts (user_id, name, phone, email, relationship, language)
     SELECT u.id, 'Contact ' || k, '+1415' || lpad(((u.n - 1) * $2 + k)::text, 7, '0'), 'contact' || k || '-' || u.id || '@bench.example', 'friend', 'en'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n) CROSS JOIN generate_series(1, $2::int) AS k`,
    [users.ids, CONTACTS],
  );
  return users.ids.map((id, i) => ({
    userId: id,
    token: users.tokens[i],
    addresses: Array.from({ length: CONTACTS }, (_, k) => `contact${k + 1}-${id}@bench.example`),
    sentAt: NaN,
  }));
}

interface TriggerAnswer {
  status: number;
  ms: number;
}

async function trigger(url: string, presser: Presser): Promise<TriggerAnswer> {
  presser.sentAt = now();
  try {
    const res = await fetch(`${url}/api/v1/alarms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${presser.token}` },
      body: JSON.stringify({ client_request_id: `bench-${randomUUID()}` }),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: now() - presser.sentAt };
  } catch {
    return { status: 0, ms: now() - presser.sentAt };
  }
}

/** One trigger every 1/RATE s on a fixed schedule, never waiting for answers; `at(i)` runs right after trigger i left. */
async function steadyLoad(url: string, pressers: Presser[], at?: (i: number) => void): Promise<TriggerAnswer[]> {
  const answers: Array<Promise<TriggerAnswer>> = [];
  const start = now();
  for (let i = 0; i < pressers.length; i++) {
    const wait = start + (i * 1000) / RATE_PER_SECOND - now();
    if (wait > 0) await sleep(wait);
    answers.push(trigger(url, pressers[i]));
    at?.(i);
  }
  return Promise.all(answers);
}

/** Waits until every address has a message (or `timeoutMs`); returns how long it took. */
async function drain(sink: SmtpSink, addresses: string[], timeoutMs: number): Promise<number> {
  const start = now();
  while (sink.deliveredTo(addresses) < addresses.length && now() - start < timeoutMs) await sleep(50);
  return now() - start;
}

interface JobTimes {
  jobs: number;
  /** From enqueue to a worker taking the job, ms. */
  waits: number[];
  /** From taking the job to its end (the email sent and recorded), ms. */
  runs: number[];
  /** Jobs finished per second while the queue was busy. */
  throughput: number;
}

/** BullMQ's own timestamps of the alarm jobs queued in [from, to] (wall clock): where the time goes. */
async function jobTimes(queue: Queue, from: number, to: number): Promise<JobTimes> {
  const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((j) => j.name === 'alarm.deliver' && j.timestamp >= from && j.timestamp <= to && j.processedOn && j.finishedOn);
  const firstStart = Math.min(...jobs.map((j) => j.processedOn!));
  const lastEnd = Math.max(...jobs.map((j) => j.finishedOn!));
  return {
    jobs: jobs.length,
    waits: jobs.map((j) => j.processedOn! - j.timestamp),
    runs: jobs.map((j) => j.finishedOn! - j.processedOn!),
    throughput: jobs.length / Math.max(0.001, (lastEnd - firstStart) / 1000),
  };
}

/** p50 latency of the emails of the triggers sent in each 5 s window: whether a backlog grows, stays or drains. */
function byWindow(sink: SmtpSink, pressers: Presser[]): string {
  const start = pressers[0].sentAt;
  const windows = new Map<number, number[]>();
  for (const presser of pressers) {
    const index = Math.floor((presser.sentAt - start) / 5000);
    const list = windows.get(index) ?? [];
    list.push(...latencies(sink, [presser]));
    windows.set(index, list);
  }
  return [...windows.entries()].map(([index, values]) => `${index * 5}-${index * 5 + 5} s: ${ms(percentile(values, 50))}`).join(', ');
}

/** The first message's latency for each address that got one: acceptance − its trigger's send. */
function latencies(sink: SmtpSink, pressers: Presser[], acceptedAfter = -Infinity): number[] {
  const out: number[] = [];
  for (const presser of pressers) {
    for (const address of presser.addresses) {
      const first = sink.byRecipient.get(address)?.[0];
      if (first && first.at >= acceptedAfter) out.push(first.at - presser.sentAt);
    }
  }
  return out;
}

/**
 * The duplicate window of each email: from the sink accepting it to its send being recorded
 * (`mail_messages.sent_at`, the database's clock). A worker killed inside it sends that email
 * again on retry; the expected duplicates per kill are about emails/s × the mean window.
 */
async function sendRecordWindows(dbUrl: string, sink: SmtpSink, addresses: string[]): Promise<number[]> {
  const accepted = addresses.flatMap((address) => sink.byRecipient.get(address)?.slice(0, 1) ?? []);
  const ids = accepted.map((mail) => /^<([0-9a-f-]{36})@haven>$/.exec(mail.messageId)?.[1]).filter((id): id is string => Boolean(id));
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const rows = await db.query<{ id: string; sent_ms: string }>('SELECT id, extract(epoch FROM sent_at) * 1000 AS sent_ms FROM mail_messages WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL', [ids]);
    const sentAt = new Map(rows.rows.map((row) => [row.id, Number(row.sent_ms)]));
    const windows: number[] = [];
    for (const mail of accepted) {
      const id = /^<([0-9a-f-]{36})@haven>$/.exec(mail.messageId)?.[1];
      const sent = id ? sentAt.get(id) : undefined;
      if (sent !== undefined) windows.push(sent - (performance.timeOrigin + mail.at));
    }
    return windows;
  } finally {
    await db.end();
  }
}

async function deliveryStatuses(dbUrl: string, pressers: Presser[]): Promise<Record<string, number>> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const rows = await db.query<{ status: string; n: string }>(
      `SELECT d.status, count(*) AS n FROM alarm_deliveries d JOIN alarms a ON a.id = d.alarm_id
        WHERE a.user_id = ANY($1::uuid[]) GROUP BY d.status ORDER BY d.status`,
      [pressers.map((p) => p.userId)],
    );
    return Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]));
  } finally {
    await db.end();
  }
}

const ms = (n: number): number => round(n, 0);
const describeAnswers = (answers: TriggerAnswer[]): string => {
  const created = answers.filter((a) => a.status === 201).length;
  const others = answers.filter((a) => a.status !== 201).map((a) => a.status);
  return (
    `${answers.length} triggers sent, ${created} answered 201${others.length ? ` (others: ${[...new Set(others)].join(', ')} × ${others.length})` : ''}; ` +
    `answer p50 ${ms(percentile(answers.map((a) => a.ms), 50))} ms, p99 ${ms(percentile(answers.map((a) => a.ms), 99))} ms`
  );
};
const pass = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
/** 1-minute load average (other work on the machine competes for its cores). */
const loadAverage = (): string => round(loadavg()[0], 2).toString();

async function main(): Promise<number> {
  const bench = await startBenchServices();
  if (!bench) return 2;
  const sink = new SmtpSink();
  let seeder: INestApplicationContext | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let worker: ReturnType<typeof startWorker> | null = null;
  const redis = new Redis(bench.redisUrl, { maxRetriesPerRequest: null });
  const alarmsQueue = new Queue(QueueName.Alarms, { connection: redis, prefix: `${REDIS_PREFIX}:bull` });
  const workersUp = async (timeoutMs: number): Promise<number> => {
    const start = now();
    while ((await alarmsQueue.getWorkersCount()) === 0) {
      if (now() - start > timeoutMs) throw new Error(`no worker on the alarms queue after ${timeoutMs / 1000} s`);
      await sleep(50);
    }
    return now() - start;
  };
  try {
    log(`services: ${bench.label}; load average ${loadAverage()}`);
    const smtpUrl = await sink.start();
    const env = {
      ...benchEnv(bench),
      REDIS_PREFIX,
      JOBS_RUN_IN_API: 'false',
      SMTP_URL: smtpUrl,
      ALARM_CONTACT_EMAILS_PER_HOUR: '100',
    };
    server = await startServer(env);
    worker = startWorker(env);
    seeder = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(env), 'cli'), { logger: ['warn', 'error'] });
    const count = RATE_PER_SECOND * SECONDS;
    log(`seeding ${WARM_UP_ALARMS + 2 * count} users with ${CONTACTS} emergency contacts each`);
    const all = await createPressers(seeder, WARM_UP_ALARMS + 2 * count);
    await seeder.close();
    seeder = null;
    const warmUp = all.slice(0, WARM_UP_ALARMS);
    const steady = all.slice(WARM_UP_ALARMS, WARM_UP_ALARMS + count);
    const crash = all.slice(WARM_UP_ALARMS + count);
    const url = server.url;

    log(`worker listening on the alarms queue (waited ${ms(await workersUp(60_000))} ms after seeding); warm-up: ${WARM_UP_ALARMS} alarms`);
    const warmAnswers = await steadyLoad(url, warmUp);
    const warmAddresses = warmUp.flatMap((p) => p.addresses);
    await drain(sink, warmAddresses, 60_000);
    if (sink.deliveredTo(warmAddresses) < warmAddresses.length) throw new Error(`warm-up: ${sink.deliveredTo(warmAddresses)} of ${warmAddresses.length} emails arrived (${describeAnswers(warmAnswers)})`);

    // Phase 1
    log(`phase 1/2: steady — ${RATE_PER_SECOND} triggers/s for ${SECONDS} s, ${CONTACTS} contacts each (${server.workers} API process(es), 1 worker)`);
    const steadyAddresses = steady.flatMap((p) => p.addresses);
    const steadyFrom = Date.now();
    const cpuBefore = await cpuSeconds(server.child.pid!);
    const workerCpuBefore = await processCpuSeconds(worker.pid);
    const steadyAnswers = await steadyLoad(url, steady);
    const steadyDrain = await drain(sink, steadyAddresses, STEADY_DRAIN_MS);
    const cpuAfter = await cpuSeconds(server.child.pid!);
    const workerCpuAfter = await processCpuSeconds(worker.pid);
    const steadyJobs = await jobTimes(alarmsQueue, steadyFrom, Date.now());
    const steadyLatency = latencies(sink, steady);
    const steadyDelivered = sink.deliveredTo(steadyAddresses);
    const steadyDuplicates = steadyAddresses.filter((a) => (sink.byRecipient.get(a)?.length ?? 0) > 1).length;
    const perAlarm = (seconds: number): number => round((1000 * seconds) / steady.length, 1);
    const cpu = {
      api: perAlarm(cpuAfter.server - cpuBefore.server),
      worker: perAlarm(workerCpuAfter - workerCpuBefore),
      postgres: perAlarm(cpuAfter.postgres - cpuBefore.postgres),
      redis: perAlarm(cpuAfter.redis - cpuBefore.redis),
      bench: perAlarm(cpuAfter.client - cpuBefore.client),
    };
    const p99 = percentile(steadyLatency, 99);
    log(`  ${describeAnswers(steadyAnswers)}`);
    log(`  emails accepted: ${steadyDelivered} / ${steadyAddresses.length} (${steadyDuplicates} addresses with more than one), last ${ms(steadyDrain)} ms after the last trigger`);
    log(
      `  trigger → SMTP accepted: p50 ${ms(percentile(steadyLatency, 50))} ms, p95 ${ms(percentile(steadyLatency, 95))} ms, p99 ${ms(p99)} ms, max ${ms(Math.max(...steadyLatency))} ms` +
        ` (target p99 < ${P99_TARGET_MS} ms: ${pass(p99 < P99_TARGET_MS)})`,
    );
    log(`  p50 trigger → SMTP accepted (ms) by trigger time: ${byWindow(sink, steady)}`);
    const windows = await sendRecordWindows(bench.dbUrl, sink, steadyAddresses);
    const meanWindow = windows.reduce((sum, w) => sum + w, 0) / Math.max(1, windows.length);
    log(
      `  duplicate window (SMTP accepted → send recorded, ${windows.length} emails): p50 ${ms(percentile(windows, 50))} ms, p99 ${ms(percentile(windows, 99))} ms, max ${ms(Math.max(...windows))} ms, mean ${ms(meanWindow)} ms` +
        ` → about ${round((RATE_PER_SECOND * CONTACTS * meanWindow) / 1000, 3)} duplicates expected per SIGKILL at this rate`,
    );
    log(
      `  alarm.deliver jobs (BullMQ timestamps, ${steadyJobs.jobs} jobs): queue wait p50 ${ms(percentile(steadyJobs.waits, 50))} ms, p99 ${ms(percentile(steadyJobs.waits, 99))} ms; ` +
        `run p50 ${ms(percentile(steadyJobs.runs, 50))} ms, p99 ${ms(percentile(steadyJobs.runs, 99))} ms; ${round(steadyJobs.throughput, 1)} jobs/s finished (${RATE_PER_SECOND * CONTACTS}/s queued)`,
    );
    log(`  CPU ms per alarm: API ${cpu.api}, worker ${cpu.worker}, PostgreSQL ${cpu.postgres}, Redis ${cpu.redis}, bench client + SMTP sink ${cpu.bench}; load average ${loadAverage()}`);

    if (process.env.BENCH_ONLY === 'steady') return 0;

    // Phase 2
    log(`phase 2/2: crash — the same load with fresh users; worker SIGKILLed at ${KILL_AT_SECONDS} s, started again at ${RESTART_AT_SECONDS} s`);
    const crashAddresses = crash.flatMap((p) => p.addresses);
    const phaseStart = now();
    let killedAt = NaN;
    let restartedAt = NaN;
    let killing: Promise<void> = Promise.resolve();
    let workerBackAfter: Promise<number> = Promise.resolve(NaN);
    const acceptedBeforeKill = { count: 0 };
    const crashAnswers = await steadyLoad(url, crash, (i) => {
      if (i === KILL_AT_SECONDS * RATE_PER_SECOND) {
        killedAt = now();
        acceptedBeforeKill.count = sink.deliveredTo(crashAddresses);
        killing = worker!.kill();
      } else if (i === RESTART_AT_SECONDS * RATE_PER_SECOND) {
        restartedAt = now();
        worker = startWorker(env);
        workerBackAfter = workersUp(60_000);
      }
    });
    await killing;
    const crashDrain = await drain(sink, crashAddresses, CRASH_DRAIN_MS);
    await sleep(SETTLE_MS);
    const crashDelivered = sink.deliveredTo(crashAddresses);
    const duplicated = crashAddresses.map((a) => sink.byRecipient.get(a) ?? []).filter((mails) => mails.length > 1);
    const extraMessages = duplicated.reduce((n, mails) => n + mails.length - 1, 0);
    const sameMessageId = duplicated.filter((mails) => new Set(mails.map((m) => m.messageId)).size === 1).length;
    const afterRestart = latencies(sink, crash, restartedAt);
    const statuses = await deliveryStatuses(bench.dbUrl, crash);
    const sentRows = statuses.sent ?? 0;
    const totalRows = Object.values(statuses).reduce((a, b) => a + b, 0);
    const crashLatency = latencies(sink, crash);
    const late = crashLatency.filter((l) => l >= P99_TARGET_MS).length;
    log(`  ${describeAnswers(crashAnswers)}`);
    log(
      `  worker killed at ${round((killedAt - phaseStart) / 1000, 1)} s (${acceptedBeforeKill.count} emails of this phase accepted by then), restarted at ${round((restartedAt - phaseStart) / 1000, 1)} s, ` +
        `back on the queue ${ms(await workerBackAfter)} ms later`,
    );
    log(`  expected deliveries: ${crashAddresses.length}; delivered: ${crashDelivered}; missing: ${crashAddresses.length - crashDelivered}; the last arrived ${ms(crashDrain)} ms after the last trigger; ${late} arrived ≥ ${P99_TARGET_MS} ms after their trigger`);
    log(`  p50 trigger → SMTP accepted (ms) by trigger time: ${byWindow(sink, crash)}`);
    log(`  duplicates: ${duplicated.length} addresses with more than one message (${extraMessages} extra messages; ${sameMessageId} of them with one Message-ID repeated)`);
    log(
      `  trigger → SMTP accepted over the phase: p50 ${ms(percentile(crashLatency, 50))} ms, p99 ${ms(percentile(crashLatency, 99))} ms, max ${ms(Math.max(...crashLatency))} ms; ` +
        `emails accepted after the restart: ${afterRestart.length}, max ${ms(Math.max(...afterRestart))} ms`,
    );
    log(`  delivery rows of this phase in PostgreSQL: ${Object.entries(statuses).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}; load average ${loadAverage()}`);

    const steadyOk = p99 < P99_TARGET_MS;
    const steadyAllOk = steadyDelivered === steadyAddresses.length;
    const exactlyOnce = crashDelivered === crashAddresses.length && duplicated.length === 0;
    const rowsOk = totalRows === crashAddresses.length && sentRows === totalRows;
    log('summary');
    log(`  machine: ${cpus().length} cores, node ${process.version}; ${server.workers} API process(es), 1 worker process (BullMQ)`);
    log(`  steady ${RATE_PER_SECOND}/s × ${SECONDS} s: trigger → SMTP accepted p99 ${ms(p99)} ms (target < ${P99_TARGET_MS} ms): ${pass(steadyOk)}`);
    log(`  steady: ${steadyDelivered} / ${steadyAddresses.length} emails delivered (target all): ${pass(steadyAllOk)}`);
    log(`  crash: ${crashDelivered} / ${crashAddresses.length} delivered, ${crashAddresses.length - crashDelivered} missing, ${duplicated.length} duplicated (target: each exactly once): ${pass(exactlyOnce)}`);
    log(`  crash: ${sentRows} / ${crashAddresses.length} delivery rows sent (target all): ${pass(rowsOk)}`);
    return 0;
  } finally {
    await worker?.stop();
    await server?.stop();
    await seeder?.close();
    await alarmsQueue.close();
    redis.disconnect();
    await sink.stop();
    bench.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
