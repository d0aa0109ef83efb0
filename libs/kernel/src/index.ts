export * from './event';
export * from './decider';
export * from './domain-error';
export * from './targets';
export * from './dates';
