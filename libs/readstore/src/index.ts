export * from './read-store';
export * from './sqlite-read-store';
export * from './postgres-read-store';
export * from './migrations';
export * from './projection';
export * from './projector';
export * from './leases';
export * from './read-store-checkpoints';
