export * from './integration-message';
export * from './reminder-messages';
export * from './relay';
