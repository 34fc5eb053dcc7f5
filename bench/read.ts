/**
 * Read benchmark: `npm run bench:read`. Starts a throwaway PostgreSQL and Redis, Haven as in
 * production (`node dist/src/main.js`, one API process unless BENCH_API_WORKERS says
 * otherwise, rate limits off) and the floor (`bench/read-floor.ts`: a minimal hand-written
 * Fastify + pg server doing the same essential work), seeds a client with 50 chats, and
 * loads four authenticated GETs on both with autocannon (100 connections):
 *
 *   GET /api/v1/users/me
 *   GET /api/v1/chats                              (the user's 50 chats, first page)
 *   GET /api/v1/chats/{id}/messages?limit=50       (bodies decrypted)
 *   GET /api/v1/notifications?unread=true
 *
 * For each route it prints Haven's req/s and p99 as ratios to the floor's (target: req/s ≥
 * 0.7 × floor, p99 ≤ 1.5 × floor), CPU µs per request of the server and PostgreSQL, and
 * the floor's bare Fastify hello for reference. Then the socket handshake of the same client
 * (token check, its 50 chat rooms joined, presence) against a bare Socket.IO server's. Haven and the floor alternate per route in
 * each round. BENCH_SECONDS (default 10) per run, BENCH_ROUNDS (default 1); BENCH_ROUTES=me
 * runs only the routes whose name contains that text.
 * Loopback only, bounded in time; prints a progress line per step.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { AppModule } from 'src/app.module';
import { loadConfig } from 'src/config/app-config';
import { MessageCipher } from 'src/modules/chat/message-cipher.service';
import { DataSource } from 'typeorm';
import { API_NODE_FLAGS, benchEnv, cpuSeconds, createUsers, freePort, log, percentile, postJson, round, startBenchServices, startServer } from './support/harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_UP_SECONDS = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONNECTIONS = 100;
const CHATS = 50;
const MESSAGES_PER_CHAT = 60;
const NOTIFICATIONS = 30;
const HANDSHAKES = 200;

interface Load {
  rps: number;
  p99: number;
  errors: number;
  /** CPU µs per request. */
  serverCpu: number;
  postgresCpu: number;
}

/**
 * One autocannon run against `url` with the caller's token: WARM_UP_SECONDS, then SECONDS
 * measured on the same connections. Only requests sent after the warm-up count towards the
 * latency percentiles, and only responses within the measured window towards req/s: 100
 * connections opened at once (as a fresh autocannon run does) leave some of them waiting
 * behind the others for a second or more, and at a few hundred req/s those first responses
 * alone are the slowest 1–2 %, so a separate warm-up run did not keep them out of p99.
 * CPU of `pid` (and its children) and PostgreSQL per request over the measured window.
 */
async function load(url: string, token: string | null, pid: number): Promise<Load> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const latencies: number[] = [];
  let measuredFrom = Infinity;
  let errors = 0;
  let responses = 0;
  let before: Awaited<ReturnType<typeof cpuSeconds>> | undefined;
  const run = autocannon({ url, connections: CONNECTIONS, duration: WARM_UP_SECONDS + SECONDS, headers }, () => undefined);
  run.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const now = performance.now();
    if (now < measuredFrom) return;
    if (statusCode >= 300) errors++;
    // Sent after the warm-up: its latency counts.
    if (now - responseTime >= measuredFrom) latencies.push(responseTime);
    responses++;
  });
  const warmUp = setTimeout(() => {
    void cpuSeconds(pid).then((cpu) => {
      before = cpu;
      measuredFrom = performance.now();
    });
  }, WARM_UP_SECONDS * 1000);
  const result = await new Promise<autocannon.Result>((resolve) => run.on('done', resolve));
  clearTimeout(warmUp);
  const measuredSeconds = (performance.now() - measuredFrom) / 1000;
  const after = await cpuSeconds(pid);
  if (!before || responses === 0) throw new Error(`${url}: nothing was measured`);
  return {
    rps: responses / measuredSeconds,
    p99: round(percentile(latencies, 99), 0),
    errors: errors + result.errors + result.timeouts,
    serverCpu: round((1e6 * (after.server - before.server)) / responses, 0),
    postgresCpu: round((1e6 * (after.postgres - before.postgres)) / responses, 0),
  };
}

/** Connects and disconnects HANDSHAKES sockets one after another; latency until `connect` (Haven: after its rooms are joined). */
async function handshakes(url: string, token: string | null): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < HANDSHAKES; i++) {
    const started = performance.now();
    const socket = io(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    samples.push(performance.now() - started);
    socket.close();
  }
  return { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) };
}

/** A bare Socket.IO server (no auth, no rooms), in this process, for the handshake baseline. */
async function bareSocketServer(): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer();
  const server = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => void server.close(() => resolve())),
  };
}

/** The floor server in its own process (fork of the compiled read-floor.js). */
async function startFloor(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = fork(`${__dirname}/read-floor.js`, [], { execArgv: API_NODE_FLAGS, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the floor exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A client with CHATS direct chats (each with MESSAGES_PER_CHAT encrypted messages, some unread) and unread notifications. */
async function seed(url: string, app: INestApplicationContext): Promise<{ token: string; chatId: string }> {
  const client = await createUsers(app, 'client', 1);
  const therapists = await createUsers(app, 'therapist', CHATS);
  const db = app.get(DataSource);
  const cipher = app.get(MessageCipher);
  const chatIds: string[] = [];
  for (let i = 0; i < CHATS; i++) {
    const chatId = (await postJson<{ id: string }>(url, '/api/v1/chats', client.tokens[0], { participant_id: therapists.ids[i] })).id;
    chatIds.push(chatId);
    const ids = Array.from({ length: MESSAGES_PER_CHAT }, () => randomUUID());
    const senders = ids.map((_, n) => (n % 2 === 0 ? client.ids[0] : therapists.ids[i]));
    const bodies = ids.map((id, n) => cipher.encryptBody(id, `Message ${n + 1} of chat ${i + 1}: how are you feeling today? A little better than yesterday, thank you.`));
    await db.query(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, type, body, created_at)
       SELECT id, $1, n, sender, 'text', body, now() - make_interval(secs => $5 - n)
         FROM unnest($2::uuid[], $3::uuid[], $4::text[]) WITH ORDINALITY AS m(id, sender, body, n)`,
      [chatId, ids, senders, bodies, MESSAGES_PER_CHAT],
    );
    await db.query(
      `UPDATE conversations SET last_seq = $2, last_message_id = $3, last_message_at = now(), activity_at = now(), last_message_sender_id = $4 WHERE id = $1`,
      [chatId, MESSAGES_PER_CHAT, ids.at(-1), senders.at(-1)],
    );
    // The client has read half of each chat.
    await db.query('UPDATE conversation_participants SET last_read_seq = $3, last_delivered_seq = $3 WHERE conversation_id = $1 AND user_id = $2', [chatId, client.ids[0], MESSAGES_PER_CHAT / 2]);
  }
  await db.query(
    `INSERT INTO notifications (user_id, title, message, notification_type, related_id, created_at)
     SELECT $1, 'New message', 'You have a new message from Bench User', 'message', c, now() - make_interval(secs => g)
       FROM generate_series(1, $2) AS g, LATERAL (SELECT ($3::uuid[])[1 + g % $4] AS c) x`,
    [client.ids[0], NOTIFICATIONS, chatIds, chatIds.length],
  );
  // Settled before measuring: statistics fresh, and no autovacuum woken by the seeding mid-run.
  await db.query('VACUUM (ANALYZE)');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return { token: client.tokens[0], chatId: chatIds[0] };
}

async function main(): Promise<number> {
  const bench = await startBenchServices();
  if (!bench) return 2;
  let seeder: INestApplicationContext | null = null;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let floor: Awaited<ReturnType<typeof startFloor>> | null = null;
  try {
    log(`services: ${bench.label}`);
    const env = benchEnv(bench);
    server = await startServer(env, Number(process.env.BENCH_API_WORKERS ?? 1));
    floor = await startFloor(env);
    seeder = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(env), 'cli'), { logger: ['warn', 'error'] });
    log(`seeding a client with ${CHATS} chats of ${MESSAGES_PER_CHAT} messages and ${NOTIFICATIONS} unread notifications`);
    const { token, chatId } = await seed(server.url, seeder);
    const routes = [
      ['GET /users/me', '/api/v1/users/me'],
      ['GET /chats', '/api/v1/chats'],
      ['GET /chats/{id}/messages?limit=50', `/api/v1/chats/${chatId}/messages?limit=50`],
      ['GET /notifications?unread=true', '/api/v1/notifications?unread=true'],
    ].filter(([name]) => !process.env.BENCH_ROUTES || name.includes(process.env.BENCH_ROUTES));
    // Same answers first: the floor must do the same work, not less.
    for (const [name, path] of routes) {
      const [haven, bare] = await Promise.all(
        [server.url, floor.url].map(async (base) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as { data: unknown }),
      );
      const size = (data: unknown): number => (Array.isArray(data) ? data.length : 1);
      if (size(haven.data) !== size(bare.data) || size(haven.data) === 0) throw new Error(`${name}: Haven and the floor disagree (${size(haven.data)} vs ${size(bare.data)} items)`);
    }
    const results = new Map<string, { haven: Load[]; floor: Load[] }>();
    for (let round_ = 1; round_ <= ROUNDS; round_++) {
      for (const [index, [name, path]] of routes.entries()) {
        // Which goes first alternates, so neither always runs on the machine the other just warmed.
        const havenFirst = (index + round_) % 2 === 1;
        log(`round ${round_}/${ROUNDS}: ${name} — ${havenFirst ? 'Haven, then the floor' : 'the floor, then Haven'} (${SECONDS} s each, ${CONNECTIONS} connections)`);
        const entry = results.get(name) ?? { haven: [], floor: [] };
        const measureHaven = async (): Promise<void> => void entry.haven.push(await load(`${server!.url}${path}`, token, server!.child.pid!));
        const measureFloor = async (): Promise<void> => void entry.floor.push(await load(`${floor!.url}${path}`, token, floor!.child.pid!));
        for (const measure of havenFirst ? [measureHaven, measureFloor] : [measureFloor, measureHaven]) await measure();
        results.set(name, entry);
        const [h, f] = [entry.haven.at(-1)!, entry.floor.at(-1)!];
        log(`  Haven ${round(h.rps, 0)} req/s, p99 ${h.p99} ms (CPU µs/req: server ${h.serverCpu}, PostgreSQL ${h.postgresCpu}; ${h.errors} errors)`);
        log(`  floor ${round(f.rps, 0)} req/s, p99 ${f.p99} ms (CPU µs/req: server ${f.serverCpu}, PostgreSQL ${f.postgresCpu}; ${f.errors} errors)`);
      }
    }
    log('reference: a bare Fastify route on the floor server, and Haven’s GET /health');
    const hello = await load(`${floor.url}/hello`, null, floor.child.pid!);
    const health = await load(`${server.url}/health`, null, server.child.pid!);

    log(`socket handshakes: ${HANDSHAKES} connects of the client (token check, ${CHATS} chat rooms joined, presence), one at a time; then a bare Socket.IO server`);
    const havenHandshake = await handshakes(server.url, token);
    const bare = await bareSocketServer();
    const bareHandshake = await handshakes(bare.url, null);
    await bare.close();
    log(`  Haven p50 ${havenHandshake.p50} ms, p99 ${havenHandshake.p99} ms; bare Socket.IO p50 ${bareHandshake.p50} ms, p99 ${bareHandshake.p99} ms`);

    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const table = [...results].map(([name, { haven, floor: base }]) => {
      const h = { rps: median(haven.map((l) => l.rps)), p99: median(haven.map((l) => l.p99)), cpu: median(haven.map((l) => l.serverCpu)), pg: median(haven.map((l) => l.postgresCpu)) };
      const f = { rps: median(base.map((l) => l.rps)), p99: median(base.map((l) => l.p99)), cpu: median(base.map((l) => l.serverCpu)), pg: median(base.map((l) => l.postgresCpu)) };
      return {
        route: name,
        haven_rps: round(h.rps, 0),
        haven_p99_ms: h.p99,
        floor_rps: round(f.rps, 0),
        floor_p99_ms: f.p99,
        rps_ratio: round(h.rps / f.rps, 3),
        p99_ratio: round(h.p99 / f.p99, 3),
        haven_vs_hello: round(h.rps / hello.rps, 3),
        cpu_us_per_request: { haven: h.cpu, floor: f.cpu, postgres_haven: h.pg, postgres_floor: f.pg },
        errors: haven.reduce((n, l) => n + l.errors, 0) + base.reduce((n, l) => n + l.errors, 0),
        meets_target: h.rps / f.rps >= 0.7 && h.p99 / f.p99 <= 1.5,
      };
    });
    console.log(
      JSON.stringify(
        {
          machine: `${(await import('node:os')).cpus().length} cores, node ${process.version}`,
          api_workers: server.workers,
          seconds: SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          bare_fastify_hello_rps: round(hello.rps, 0),
          haven_health_rps: round(health.rps, 0),
          socket_handshake_ms: { haven: havenHandshake, bare_socketio: bareHandshake, p50_ratio: round(havenHandshake.p50 / bareHandshake.p50, 2) },
          routes: table,
        },
        null,
        2,
      ),
    );
    for (const row of table) {
      console.log(`${row.route}: ${row.rps_ratio} of the floor's req/s (target ≥ 0.7), p99 ${row.p99_ratio}× (target ≤ 1.5)${row.meets_target ? '' : '  — below target'}`);
    }
    return table.some((row) => row.errors > 0) ? 1 : 0;
  } finally {
    await server?.stop();
    await floor?.stop();
    await seeder?.close();
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
