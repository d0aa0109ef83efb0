export * from './command-handler';
export * from './deterministic-id';
