export * from './command-handler';
export * from './deterministic-id';
export * from './command-observer';
