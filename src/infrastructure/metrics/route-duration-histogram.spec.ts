import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { RouteDurationHistogram } from './route-duration-histogram';

/** prom-client's own histogram, configured as Haven's was before it kept its own counters. */
function reference(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  return new Histogram({
    name: 'haven_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

// Durations on and around every bucket bound, below the first and above the last.
const REQUESTS: Array<[string, string, number, number]> = [
  ['GET', '/api/v1/notifications', 200, 0.2],
  ['GET', '/api/v1/notifications', 200, 5],
  ['GET', '/api/v1/notifications', 200, 5.0001],
  ['GET', '/api/v1/notifications', 200, 10],
  ['GET', '/api/v1/notifications', 400, 37],
  ['GET', '/api/v1/users/me', 200, 250],
  ['GET', '/api/v1/users/me', 200, 999.5],
  ['POST', '/api/v1/chats', 201, 2_500],
  ['POST', '/api/v1/chats', 201, 7_200],
  ['GET', 'unmatched', 404, 0.05],
];

describe('RouteDurationHistogram', () => {
  it('exports exactly what prom-client’s histogram exports for the same requests', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new RouteDurationHistogram(ours);
    const expected = reference(theirs);
    for (const [method, route, status, ms] of REQUESTS) {
      histogram.record(method, route, status, ms);
      expected.observe({ method, route, status: String(status) }, ms / 1000);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // The JSON (what cluster aggregation reads) too, but for prom-client's empty exemplar slots.
    const withoutExemplars = (metrics: object[]): unknown => JSON.parse(JSON.stringify(metrics, (key, value: unknown) => (key === 'exemplar' ? undefined : value)));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
  });

  it('sums across processes like any prom-client histogram', async () => {
    const parts = [new Registry(), new Registry()];
    const [a, b] = parts.map((registry) => new RouteDurationHistogram(registry));
    a.record('GET', '/health', 200, 3);
    b.record('GET', '/health', 200, 30);
    b.record('GET', '/health', 200, 300);
    const combined = await AggregatorRegistry.aggregate(await Promise.all(parts.map((r) => r.getMetricsAsJSON()))).metrics();
    expect(combined).toContain('haven_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/health",status="200"} 1');
    expect(combined).toContain('haven_http_request_duration_seconds_bucket{le="0.05",method="GET",route="/health",status="200"} 2');
    expect(combined).toContain('haven_http_request_duration_seconds_count{method="GET",route="/health",status="200"} 3');
    expect(Number(/haven_http_request_duration_seconds_sum\{method="GET",route="\/health",status="200"\} (\S+)/.exec(combined)?.[1])).toBeCloseTo(0.333, 9);
  });

  it('totals each route over its statuses for the staff summary, and forgets everything on reset', () => {
    const registry = new Registry();
    const histogram = new RouteDurationHistogram(registry);
    const before = Date.now();
    for (const [method, route, status, ms] of REQUESTS) histogram.record(method, route, status, ms);
    const totals = histogram.routeTotals();
    expect(Object.keys(totals).sort()).toEqual(['GET /api/v1/notifications', 'GET /api/v1/users/me', 'GET unmatched', 'POST /api/v1/chats']);
    expect(totals['GET /api/v1/notifications'].count).toBe(5);
    expect(totals['GET /api/v1/notifications'].totalMs).toBeCloseTo(0.2 + 5 + 5.0001 + 10 + 37, 6);
    expect(totals['GET /api/v1/notifications'].last).toBeGreaterThanOrEqual(before);
    registry.resetMetrics();
    expect(histogram.routeTotals()).toEqual({});
  });
});
