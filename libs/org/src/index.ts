// The organization hierarchy context: units, their levels, officers, and the bulk import.
export * from './domain/levels';
export * from './domain/unit.events';
export * from './domain/unit.commands';
export * from './domain/unit.errors';
export * from './domain/unit.decider';
export * from './domain/unit-import';
export { parseCsv, toCsvLine, type CsvLimits, type CsvProblem, type CsvProblemKind, type CsvRecord } from './domain/csv';
export { isIsoDate } from './domain/validation';
export * from './unit.streams';
export * from './sample/national-hierarchy';
export * from './sample/lao-cai-hierarchy';
export * from './application/unit-directory';
export * from './application/access';
export * from './application/unit.service';
export * from './application/levels-file';
export * from './projections/unit-tree.projection';
export * from './projections/unit-tree.queries';
