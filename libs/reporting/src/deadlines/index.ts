export * from './obligation-timers.projection';
export * from './period-timers.projection';
export * from './timer-claims';
export * from './deadline-scheduler';
export * from './digest';
