import { Counter, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS } from './command-metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route label of a request no route matched: its path never becomes a label. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * HTTP requests by method, route pattern and status. The caller passes the pattern the router
 * matched (`/reports/:directiveId/:unitId/:period/submit`), never the raw URL, and `undefined` when
 * nothing matched: every label then comes from a small fixed set, so hostile URLs add no series.
 */
export class HttpMetrics {
  private readonly total: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.total = new Counter({
      name: 'vwu_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'vwu_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method: METHODS.has(method) ? method : 'OTHER', route: route ?? UNMATCHED_ROUTE };
    const code = Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'other';
    this.total.inc({ ...labels, status: code });
    this.duration.observe(labels, seconds);
  }
}
