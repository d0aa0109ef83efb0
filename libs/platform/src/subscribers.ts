/**
 * The names (and filters) of the checkpointed subscribers that are not projections, shared by the
 * worker that runs them and the metrics that report on them from any process.
 */
export const RELAY_SUBSCRIPTION = 'relay:kafka';

export const PERIOD_OPENER_SUBSCRIPTION = { name: 'saga:period-opener', eventTypes: ['ReportingPeriodOpened'] } as const;

/** A projection runs as the subscription `projection:<name>`; its checkpoint is kept under `<name>`. */
export const projectionSubscription = (projection: string): string => `projection:${projection}`;
