import { collectDefaultMetrics, Registry } from 'prom-client';
import { CommandMetrics } from './command-metrics';
import { HttpMetrics } from './http-metrics';

export const METRICS_PREFIX = 'vwu_';

/**
 * One application's metrics: a registry of its own (never prom-client's global one, so two
 * applications in one process, as in the tests, keep separate counts), the process metrics under
 * `vwu_`, and the command and HTTP series. Scrape-time gauges are added by `registerWorkGauges`.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly commands: CommandMetrics;
  readonly http: HttpMetrics;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRICS_PREFIX });
    this.commands = new CommandMetrics(this.registry);
    this.http = new HttpMetrics(this.registry);
  }

  /** `text/plain; version=0.0.4; charset=utf-8`: Prometheus' text format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every series in the text format; the scrape-time gauges read the stores now. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
