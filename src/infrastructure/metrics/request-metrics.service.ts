import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ClusterMetricsClient, CombinedMetrics, MetricsSnapshot, underClusterPrimary } from './cluster-metrics';
import { RouteDurationHistogram } from './route-duration-histogram';

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
  private readonly durations: RouteDurationHistogram;
  private readonly cluster = underClusterPrimary() ? new ClusterMetricsClient(() => this.snapshot()) : null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'haven_' });
    this.durations = new RouteDurationHistogram(this.registry);
  }

  onModuleDestroy(): void {
    this.cluster?.close();
  }

  record(method: string, route: string, status: number, durationMs: number): void {
    this.durations.record(method, route, status, durationMs);
  }

  /** This process's metrics. */
  async snapshot(): Promise<MetricsSnapshot> {
    return { metrics: await this.registry.getMetricsAsJSON(), routes: this.durations.routeTotals() };
  }

  /** Prometheus text and route totals: this process's, or every API process's under a cluster primary. */
  async combined(): Promise<CombinedMetrics> {
    if (this.cluster) return this.cluster.combined();
    return { prometheus: await this.registry.metrics(), contentType: this.registry.contentType, routes: this.durations.routeTotals() };
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
