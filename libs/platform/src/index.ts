export * from './logger';
export * from './stores';
export * from './platform.module';
export * from './run-main';
export * from './clock';
export * from './token-secret';
export * from './domain.module';
