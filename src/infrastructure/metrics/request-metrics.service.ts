import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface RouteStats {
  average_duration_ms: number;
  request_count: number;
  last_request: string;
}

/**
 * Request timings per route (the route pattern, never the concrete URL, so ids do not
 * explode the key space): a summary for staff at /metrics and a Prometheus registry
 * for scrapers. Per process; Prometheus aggregates across nodes.
 */
@Injectable()
export class RequestMetricsService {
  readonly registry = new Registry();
  private readonly routes = new Map<string, { totalMs: number; count: number; last: Date }>();
  private readonly histogram: Histogram<'method' | 'route' | 'status'>;

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

  record(method: string, route: string, status: number, durationMs: number): void {
    const key = `${method} ${route}`;
    const entry = this.routes.get(key) ?? { totalMs: 0, count: 0, last: new Date(0) };
    entry.totalMs += durationMs;
    entry.count += 1;
    entry.last = new Date();
    this.routes.set(key, entry);
    this.histogram.observe({ method, route, status: String(status) }, durationMs / 1000);
  }

  summary(): Record<string, RouteStats> {
    const result: Record<string, RouteStats> = {};
    for (const [key, entry] of [...this.routes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      result[key] = {
        average_duration_ms: Math.round((entry.totalMs / entry.count) * 100) / 100,
        request_count: entry.count,
        last_request: entry.last.toISOString(),
      };
    }
    return result;
  }
}
