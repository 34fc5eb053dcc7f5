/**
 * Booking benchmark: `npm run bench:booking`. Starts a throwaway PostgreSQL and Redis and
 * Haven's API as in production (`node dist/src/main.js`), then measures, in the same run:
 *
 *  1. concurrent bookings of distinct slots (POST /api/v1/sessions: availability check,
 *     price from the profile, the exclusion constraints, the direct chat, reminders, the
 *     notification) as a ratio to single-row INSERTs/s into PostgreSQL at the same
 *     concurrency (the floor every booking pays at least once);
 *  2. the free-slot search (GET /api/v1/providers/{id}/free-slots over 31 days) for a
 *     provider with 1,000 booked sessions in the window, as a ratio of its mean time to the
 *     same search for a provider with none. Target ≤ 1.5.
 *
 * Loopback only, bounded in time (about a minute); a progress line per step. Exits
 * non-zero only when the harness fails, not on a missed target.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadavg } from 'node:os';
import { AppModule } from 'src/app.module';
import { loadConfig } from 'src/config/app-config';
import { DataSource } from 'typeorm';
import { benchEnv, BenchUsers, createUsers, insertRate, log, percentile, round, sendJson, startBenchServices, startServer } from './support/harness';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BOOKING_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PROVIDERS = 64;
const BUSY_SESSIONS = 1000;
const SEARCH_SAMPLES = 200;
const SEARCH_CONCURRENCY = 4;
const SEARCH_DAYS = 31;
const SEARCH_TARGET = 1.5;
const SLOT_MINUTES = 30;
const DAY_MS = 86_400_000;

const now = (): number => performance.now();
const ALWAYS = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start_time: '00:00', end_time: '24:00' }));
const PROFILE = {
  bio: 'Benchmark provider.',
  specialties: ['anxiety'],
  languages: ['en'],
  session_types: ['text', 'video'],
  prices: { text: '30.00', video: '49.99' },
  currency: 'EUR',
  time_zone: 'UTC',
  buffer_minutes: 0,
};

/** Verified therapists, each with a profile and all-week availability. */
async function bookableProviders(url: string, providers: BenchUsers): Promise<void> {
  for (let i = 0; i < providers.ids.length; i += 16) {
    await Promise.all(
      providers.tokens.slice(i, i + 16).map(async (token) => {
        await sendJson(url, 'PUT', '/api/v1/providers/me/profile', token, PROFILE);
        await sendJson(url, 'PUT', '/api/v1/providers/me/availability', token, { rules: ALWAYS });
      }),
    );
  }
}

/**
 * Bookings/s with `concurrency` requests in flight, every booking a distinct slot. Booking i is
 * in block b = i / P (all at the same start) by client i % P with provider (i + b) % P, so in
 * one block no provider and no client appears twice: neither exclusion constraint can fire.
 */
async function bookings(
  url: string,
  clients: BenchUsers,
  providers: BenchUsers,
  from: number,
  options: { concurrency: number; seconds: number; firstBlock: number },
): Promise<{ rate: number; p50: number; p99: number; refused: Map<string, number> }> {
  const count = providers.ids.length;
  let next = options.firstBlock * count;
  const refused = new Map<string, number>();
  const latencies: number[] = [];
  const end = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < end) {
        const i = next++;
        const block = Math.floor(i / count);
        const startsAt = new Date(from + block * SLOT_MINUTES * 60_000).toISOString();
        const started = now();
        const res = await fetch(`${url}/api/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${clients.tokens[i % count]}` },
          body: JSON.stringify({ friend_id: providers.ids[(i + block) % count], type: 'text', scheduled_at: startsAt, duration_minutes: 30 }),
        });
        const body = (await res.json()) as { code?: string };
        if (res.status === 201) latencies.push(now() - started);
        else refused.set(`${res.status} ${body.code ?? ''}`, (refused.get(`${res.status} ${body.code ?? ''}`) ?? 0) + 1);
      }
      return next;
    }),
  );
  return { rate: latencies.length / options.seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), refused };
}

const describeRefused = (refused: Map<string, number>): string => (refused.size ? [...refused].map(([what, n]) => `${n} × ${what}`).join(', ') : 'none');

/** Mean and p99 time of the 31-day free-slot search for one provider, `SEARCH_CONCURRENCY` at a time. */
async function searchTimes(url: string, token: string, providerId: string, from: number): Promise<{ mean: number; p99: number; slots: number }> {
  const query = `from=${new Date(from).toISOString()}&to=${new Date(from + SEARCH_DAYS * DAY_MS).toISOString()}&duration_minutes=30`;
  const times: number[] = [];
  let slots = 0;
  let remaining = SEARCH_SAMPLES;
  await Promise.all(
    Array.from({ length: SEARCH_CONCURRENCY }, async () => {
      while (remaining-- > 0) {
        const started = now();
        const res = await fetch(`${url}/api/v1/providers/${providerId}/free-slots?${query}`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { data?: { slots?: unknown[] } };
        if (!res.ok) throw new Error(`free-slots: ${res.status} ${JSON.stringify(body)}`);
        times.push(now() - started);
        slots = body.data?.slots?.length ?? 0;
      }
    }),
  );
  return { mean: times.reduce((a, b) => a + b, 0) / times.length, p99: percentile(times, 99), slots };
}

async function main(): Promise<void> {
  const bench = await startBenchServices();
  if (!bench) process.exit(2);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    log(`services: ${bench.label}; load average ${loadavg().map((n) => round(n, 1)).join(' ')}`);
    const env = benchEnv(bench);
    server = await startServer(env);
    const url = server.url;
    const seeder = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(env), 'cli'), { logger: ['warn', 'error'] });
    log(`seeding ${PROVIDERS + 2} providers and ${PROVIDERS + 1} clients`);
    const providers = await createUsers(seeder, 'therapist', PROVIDERS + 2);
    const clients = await createUsers(seeder, 'client', PROVIDERS + 1);
    await bookableProviders(url, providers);
    // Tomorrow 00:00 UTC: every slot of both phases is in the future and inside availability.
    const from = Math.ceil(Date.now() / DAY_MS) * DAY_MS + DAY_MS;

    log(`phase 1/2: baseline — single-row INSERTs for ${BOOKING_SECONDS} s at concurrency ${CONCURRENCY}`);
    const inserts = await insertRate(bench.dbUrl, CONCURRENCY, BOOKING_SECONDS);
    log(`  ${round(inserts, 0)} INSERTs/s`);
    const pool = { ids: providers.ids.slice(0, PROVIDERS), tokens: providers.tokens.slice(0, PROVIDERS) };
    const people = { ids: clients.ids.slice(0, PROVIDERS), tokens: clients.tokens.slice(0, PROVIDERS) };
    // One at a time first (it also opens each pair's chat the way a first booking does): the cost of one booking.
    const single = await bookings(url, people, pool, from, { concurrency: 1, seconds: 2, firstBlock: 0 });
    log(`phase 1/2: one booking at a time: p50 ${round(single.p50, 1)} ms (${round(single.rate, 0)}/s; refused: ${describeRefused(single.refused)})`);
    log(`phase 1/2: POST /api/v1/sessions, distinct slots, ${BOOKING_SECONDS} s at concurrency ${CONCURRENCY} (${server.workers} API process(es))`);
    const booking = await bookings(url, people, pool, from, { concurrency: CONCURRENCY, seconds: BOOKING_SECONDS, firstBlock: 1_000 });
    log(`  ${round(booking.rate, 0)} bookings/s (p50 ${round(booking.p50, 1)} ms, p99 ${round(booking.p99, 1)} ms; refused: ${describeRefused(booking.refused)})`);
    log(`  ratio to the INSERT rate: ${round(booking.rate / inserts, 3)}`);

    const busy = { id: providers.ids[PROVIDERS], token: providers.tokens[PROVIDERS] };
    const idle = { id: providers.ids[PROVIDERS + 1], token: providers.tokens[PROVIDERS + 1] };
    const booker = { id: clients.ids[PROVIDERS], token: clients.tokens[PROVIDERS] };
    log(`phase 2/2: booking ${BUSY_SESSIONS} sessions for one provider inside the ${SEARCH_DAYS}-day window`);
    const spacing = Math.floor((SEARCH_DAYS * DAY_MS) / BUSY_SESSIONS);
    for (let i = 0; i < BUSY_SESSIONS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, BUSY_SESSIONS - i) }, (_, k) =>
          sendJson(url, 'POST', '/api/v1/sessions', booker.token, {
            friend_id: busy.id,
            type: 'text',
            // On the 15-minute grid, so each session removes whole slots.
            scheduled_at: new Date(from + Math.floor(((i + k) * spacing) / 900_000) * 900_000).toISOString(),
            duration_minutes: 15,
          }),
        ),
      );
    }
    const booked = await seeder.get(DataSource).query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM care_sessions WHERE provider_id = $1 AND status = 'upcoming'`, [busy.id]);
    await seeder.close();
    log(`  ${booked[0].n} upcoming sessions booked`);
    await searchTimes(url, booker.token, idle.id, from); // warm-up
    const empty = await searchTimes(url, booker.token, idle.id, from);
    const full = await searchTimes(url, booker.token, busy.id, from);
    const ratio = full.mean / empty.mean;
    log(`  free slots over ${SEARCH_DAYS} days, no sessions: mean ${round(empty.mean, 2)} ms, p99 ${round(empty.p99, 2)} ms (${empty.slots} slots)`);
    log(`  free slots over ${SEARCH_DAYS} days, ${booked[0].n} sessions: mean ${round(full.mean, 2)} ms, p99 ${round(full.p99, 2)} ms (${full.slots} slots)`);
    log(`  ratio (busy / none): ${round(ratio, 2)} (target ≤ ${SEARCH_TARGET}: ${ratio <= SEARCH_TARGET ? 'met' : 'NOT met'})`);
    log(`load average at the end ${loadavg().map((n) => round(n, 1)).join(' ')}`);
  } finally {
    await server?.stop();
    bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
