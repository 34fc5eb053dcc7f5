import { Histogram, type Registry } from 'prom-client';
import type { RouteTotals } from './cluster-metrics';

const NAME = 'haven_http_request_duration_seconds';
const HELP = 'HTTP request duration by route pattern and status';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
type Label = 'method' | 'route' | 'status';
// With `le`, which prom-client's typings leave out of a histogram's exported labels.
type Exported = Awaited<ReturnType<Histogram<Label | 'le'>['get']>>;

/** One method, route pattern and status: bucket counts (not cumulative; the last is +Inf), sum and count. */
interface Series {
  method: string;
  route: string;
  status: string;
  buckets: Float64Array;
  sumSeconds: number;
  count: number;
  /** Epoch milliseconds of the latest request. */
  last: number;
}

/**
 * `haven_http_request_duration_seconds` for every request, kept in plain counters. prom-client's
 * own `observe()` hashes the label object and finds the bucket through a property named by the
 * bound (a number turned into a string) on every call: measured under the read benchmark, that
 * and the per-route totals cost ~20 µs of a 370 µs request. Here a request costs one Map lookup
 * and a few additions; the Prometheus shape (`_bucket` with `le`, `_sum`, `_count`) is built
 * when scraped. It stays a prom-client Histogram, so registries and cluster aggregation take it
 * as one. Record through `record()` only: the inherited `observe()`, `labels()` and
 * `startTimer()` write to prom-client's own store, which this class does not export.
 */
export class RouteDurationHistogram extends Histogram<Label> {
  private readonly series = new Map<string, Series>();

  constructor(registry: Registry) {
    super({ name: NAME, help: HELP, labelNames: ['method', 'route', 'status'], buckets: [...BUCKETS], registers: [registry] });
  }

  record(method: string, route: string, status: number, durationMs: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (!series) {
      series = { method, route, status: String(status), buckets: new Float64Array(BUCKETS.length + 1), sumSeconds: 0, count: 0, last: 0 };
      this.series.set(key, series);
    }
    const seconds = durationMs / 1000;
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) bucket++;
    series.buckets[bucket]++;
    series.sumSeconds += seconds;
    series.count++;
    series.last = Date.now();
  }

  /** Request totals per `METHOD route` (every status together), for the staff summary. */
  routeTotals(): Record<string, RouteTotals> {
    const totals = new Map<string, RouteTotals>();
    for (const series of this.series.values()) {
      const key = `${series.method} ${series.route}`;
      const into = totals.get(key) ?? { totalMs: 0, count: 0, last: 0 };
      into.totalMs += series.sumSeconds * 1000;
      into.count += series.count;
      into.last = Math.max(into.last, series.last);
      totals.set(key, into);
    }
    return Object.fromEntries(totals);
  }

  /** The metric as prom-client's histograms give it (cumulative `le` buckets, labels already merged). */
  override async get(): Promise<Exported> {
    const values: Exported['values'] = [];
    for (const { method, route, status, buckets, sumSeconds, count } of this.series.values()) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += buckets[i];
        values.push({ labels: { le, method, route, status }, value: cumulative, metricName: `${NAME}_bucket` });
      });
      values.push(
        { labels: { le: '+Inf', method, route, status }, value: count, metricName: `${NAME}_bucket` },
        { labels: { method, route, status }, value: sumSeconds, metricName: `${NAME}_sum` },
        { labels: { method, route, status }, value: count, metricName: `${NAME}_count` },
      );
    }
    return { name: NAME, help: HELP, type: 'histogram', aggregator: 'sum', values } as unknown as Exported;
  }

  /** The text format reads the same values (prom-client prefers this method when present). */
  async getForPromString(): Promise<Exported> {
    return this.get();
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor calls reset() before this class's fields exist.
    (this.series as Map<string, Series> | undefined)?.clear();
  }
}
