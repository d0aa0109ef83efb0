export * from './event-fixtures';
export * from './event-store.contract';
export * from './subscription.contract';
