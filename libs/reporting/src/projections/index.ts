export * from './obligation-status.projection';
export * from './rollup.projection';
export * from './reporting-targets';
export * from './reporting-status.projection';
export * from './escalations.projection';
export * from './achievement';
export * from './reporting.queries';
