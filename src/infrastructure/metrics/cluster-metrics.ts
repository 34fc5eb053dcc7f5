import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';

/** One route's request totals in one process. */
export interface RouteTotals {
  totalMs: number;
  count: number;
  /** Epoch milliseconds of the latest request. */
  last: number;
}

/** What one API process knows: its Prometheus metrics (as JSON) and its per-route totals. */
export interface MetricsSnapshot {
  metrics: object[];
  routes: Record<string, RouteTotals>;
}

/** What a scrape answers: every process's metrics combined. */
export interface CombinedMetrics {
  prometheus: string;
  contentType: string;
  routes: Record<string, RouteTotals>;
}

type ClusterMessage =
  | { type: 'haven:metrics:request'; requestId: number }
  | { type: 'haven:metrics:collect'; collectId: number }
  | { type: 'haven:metrics:part'; collectId: number; snapshot: MetricsSnapshot }
  | { type: 'haven:metrics:result'; requestId: number; result?: CombinedMetrics; error?: string };

const COLLECT_TIMEOUT_MS = 5000;

const isMessage = (value: unknown): value is ClusterMessage =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('haven:metrics:');

/** Sums per-route totals of several processes (the latest request wins for `last`). */
export function mergeRoutes(parts: Array<Record<string, RouteTotals>>): Record<string, RouteTotals> {
  const merged: Record<string, RouteTotals> = {};
  for (const routes of parts) {
    for (const [key, totals] of Object.entries(routes)) {
      const into = (merged[key] ??= { totalMs: 0, count: 0, last: 0 });
      into.totalMs += totals.totalMs;
      into.count += totals.count;
      into.last = Math.max(into.last, totals.last);
    }
  }
  return merged;
}

/** Combines snapshots with prom-client's cluster aggregation (counters and histograms summed, gauges per their aggregator). */
export async function combine(snapshots: MetricsSnapshot[]): Promise<CombinedMetrics> {
  const registry = AggregatorRegistry.aggregate(snapshots.map((s) => s.metrics));
  return { prometheus: await registry.metrics(), contentType: registry.contentType, routes: mergeRoutes(snapshots.map((s) => s.routes)) };
}

/**
 * Primary process (API_WORKERS > 1): a worker asked for metrics gets every live worker's
 * snapshot combined, so a scrape or a staff request sees the whole service whichever
 * process the connection reached.
 */
export function serveClusterMetrics(): void {
  let nextCollect = 0;
  const collecting = new Map<number, { parts: MetricsSnapshot[]; pending: number; finish(): void }>();

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'haven:metrics:part') {
      const collect = collecting.get(message.collectId);
      if (!collect) return;
      collect.parts.push(message.snapshot);
      if (--collect.pending === 0) collect.finish();
      return;
    }
    if (message.type !== 'haven:metrics:request') return;
    const collectId = nextCollect++;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w?.isConnected()));
    const collect = {
      parts: [] as MetricsSnapshot[],
      pending: workers.length,
      finish: () => {
        clearTimeout(timeout);
        collecting.delete(collectId);
        // A worker that did not answer in time (busy or dying) is left out rather than failing the scrape.
        combine(collect.parts).then(
          (result) => worker.isConnected() && worker.send({ type: 'haven:metrics:result', requestId: message.requestId, result }),
          (error: Error) => worker.isConnected() && worker.send({ type: 'haven:metrics:result', requestId: message.requestId, error: error.message }),
        );
      },
    };
    const timeout = setTimeout(() => collect.finish(), COLLECT_TIMEOUT_MS);
    collecting.set(collectId, collect);
    for (const w of workers) w.send({ type: 'haven:metrics:collect', collectId });
  });
}

/**
 * Worker side: answers the primary's collection requests with `snapshot()`, and
 * `combined()` asks the primary for every worker's metrics. Only under a cluster primary.
 */
export class ClusterMetricsClient {
  private nextRequest = 0;
  private readonly waiting = new Map<number, { resolve(result: CombinedMetrics): void; reject(error: Error): void }>();
  private readonly onMessage = (message: unknown): void => {
    if (!isMessage(message)) return;
    if (message.type === 'haven:metrics:collect') {
      void this.snapshot().then((snapshot) => process.send?.({ type: 'haven:metrics:part', collectId: message.collectId, snapshot }));
    } else if (message.type === 'haven:metrics:result') {
      const waiter = this.waiting.get(message.requestId);
      this.waiting.delete(message.requestId);
      if (message.result) waiter?.resolve(message.result);
      else waiter?.reject(new Error(`cluster metrics: ${message.error ?? 'no answer'}`));
    }
  };

  constructor(private readonly snapshot: () => Promise<MetricsSnapshot>) {
    process.on('message', this.onMessage);
  }

  combined(): Promise<CombinedMetrics> {
    const requestId = this.nextRequest++;
    return new Promise<CombinedMetrics>((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error('cluster metrics: the primary did not answer'));
      }, COLLECT_TIMEOUT_MS * 2).unref();
      this.waiting.set(requestId, {
        resolve: (result) => (clearTimeout(timeout), resolve(result)),
        reject: (error) => (clearTimeout(timeout), reject(error)),
      });
      process.send?.({ type: 'haven:metrics:request', requestId });
    });
  }

  close(): void {
    process.off('message', this.onMessage);
  }
}

export const underClusterPrimary = (): boolean => cluster.isWorker;
