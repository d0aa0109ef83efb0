export * from './all-projections';
export * from './consistency';
