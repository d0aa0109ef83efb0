export * from './jwt';
export * from './acting-context';
