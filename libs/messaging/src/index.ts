export * from './message';
export * from './publisher.port';
export * from './kafka-publisher';
export * from './kafkajs-logger';
export * from './in-memory-publisher';
export * from './reminder-message';
