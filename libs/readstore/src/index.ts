export * from './read-store';
export * from './sqlite-read-store';
export * from './postgres-read-store';
export * from './migrations';
export * from './projection';
export * from './projector';
