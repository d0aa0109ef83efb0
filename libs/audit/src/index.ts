export * from './stream-parts';
export * from './audit-summary';
export * from './audit-index.projection';
export * from './audit.queries';
