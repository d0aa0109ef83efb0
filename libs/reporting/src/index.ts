export * from './domain/period-key';
export * from './domain/report.events';
export * from './domain/report.commands';
export * from './domain/report.errors';
export * from './domain/report.validation';
export * from './domain/report.decider';
export * from './report.streams';
export * from './application/reporting.service';
