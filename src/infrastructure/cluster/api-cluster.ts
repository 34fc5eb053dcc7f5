import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { AppConfig } from 'src/config/app-config';
import { serveClusterMetrics } from 'src/infrastructure/metrics/cluster-metrics';

/** A worker that dies this soon after the previous restart is crash-looping: stop instead of retrying forever. */
const RESTART_WINDOW_MS = 10_000;

/**
 * API_WORKERS > 1: this (primary) process serves nothing itself; it starts that many API
 * processes sharing the port (Node's cluster module hands each new connection to one
 * of them), replaces one that dies, and passes SIGTERM/SIGINT on for a graceful stop.
 * Realtime emits, rate limits and jobs already go through Redis; the primary combines
 * the processes' metrics for /metrics. A worker that never came up (bad config, database
 * unreachable) stops the whole service rather than being restarted in a loop.
 */
export function superviseApiWorkers(config: AppConfig): void {
  const log = pino({ level: config.logLevel }).child({ context: 'Cluster' });
  let stopping = false;
  let lastRestart = 0;
  const listening = new WeakSet<Worker>();

  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const reason = signal ?? `exit code ${code}`;
    const now = Date.now();
    if (!listening.has(worker) || now - lastRestart < RESTART_WINDOW_MS) {
      log.error({ pid: worker.process.pid, reason }, 'API worker failed to start or keeps crashing; stopping');
      stop('SIGTERM', 1);
      return;
    }
    lastRestart = now;
    log.warn({ pid: worker.process.pid, reason }, 'API worker died; starting a replacement');
    cluster.fork();
  });

  const stop = (signal: NodeJS.Signals, exitCode = 0): void => {
    stopping = true;
    process.exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  serveClusterMetrics();
  for (let i = 0; i < config.http.workers; i++) cluster.fork();
  log.info({ workers: config.http.workers, port: config.http.port }, 'starting API workers');
}

export const isClusterPrimary = (config: AppConfig): boolean => config.http.workers > 1 && cluster.isPrimary;
