import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { ClusterMetricsClient, CombinedMetrics, MetricsSnapshot, RouteTotals, underClusterPrimary } from './cluster-metrics';

export interface RouteStats {
  average_duration_ms: number;
  request_count: number;
  last_request: string;
}

/**
 * Request timings per route (the route pattern, never the concrete URL, so ids do not
 * explode the key space): a summary for staff at /metrics and a Prometheus registry
 * for scrapers. With API_WORKERS > 1 both combine every API process of the node (the
 * primary collects them); across nodes, Prometheus aggregates.
 */
@Injectable()
export class RequestMetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly routes = new Map<string, RouteTotals>();
  private readonly histogram: Histogram<'method' | 'route' | 'status'>;
  private readonly cluster = underClusterPrimary() ? new ClusterMetricsClient(() => this.snapshot()) : null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'haven_' });
    this.histogram = new Histogram({
      name: 'haven_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  onModuleDestroy(): void {
    this.cluster?.close();
  }

  record(method: string, route: string, status: number, durationMs: number): void {
    const key = `${method} ${route}`;
    const entry = this.routes.get(key) ?? { totalMs: 0, count: 0, last: 0 };
    entry.totalMs += durationMs;
    entry.count += 1;
    entry.last = Date.now();
    this.routes.set(key, entry);
    this.histogram.observe({ method, route, status: String(status) }, durationMs / 1000);
  }

  /** This process's metrics. */
  async snapshot(): Promise<MetricsSnapshot> {
    return { metrics: await this.registry.getMetricsAsJSON(), routes: Object.fromEntries(this.routes) };
  }

  /** Prometheus text and route totals: this process's, or every API process's under a cluster primary. */
  async combined(): Promise<CombinedMetrics> {
    if (this.cluster) return this.cluster.combined();
    return { prometheus: await this.registry.metrics(), contentType: this.registry.contentType, routes: Object.fromEntries(this.routes) };
  }

  async summary(): Promise<Record<string, RouteStats>> {
    const { routes } = await this.combined();
    const result: Record<string, RouteStats> = {};
    for (const [key, entry] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
      result[key] = {
        average_duration_ms: Math.round((entry.totalMs / entry.count) * 100) / 100,
        request_count: entry.count,
        last_request: new Date(entry.last).toISOString(),
      };
    }
    return result;
  }
}
