export * from './app-metrics';
export * from './command-metrics';
export * from './http-metrics';
export * from './work-gauges';
export * from './metrics-server';
