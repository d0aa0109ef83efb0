import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs embedded with defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info', SQLITE_DURABILITY: 'NORMAL' });
    expect(config.mode).toBe('embedded');
    expect(config.kafkaBrokers).toEqual([]);
  });

  it('reads and converts the values it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      SQLITE_DURABILITY: 'full',
      EVENTSTORE_URL: 'kurrentdb://node1:2113?tls=false',
      READSTORE_URL: 'postgres://engine@db:5432/engine',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      JWT_SECRET: 'x'.repeat(40),
    });
    expect(config.PORT).toBe(8080);
    expect(config.SQLITE_DURABILITY).toBe('FULL');
    expect(config.mode).toBe('production');
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('names every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', EVENTSTORE_URL: 'http://x', KAFKA_BROKERS: 'k1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT="eighty":.*PORT must be a whole number/);
    expect(problems).toMatch(/LOG_LEVEL="loud"/);
    expect(problems).toMatch(/EVENTSTORE_URL="http:\/\/x": EVENTSTORE_URL must be a KurrentDB connection string/);
    expect(problems).toMatch(/KAFKA_BROKERS="k1": KAFKA_BROKERS must be a comma-separated list/);
    expect(problems).toMatch(/JWT_SECRET is required/);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('requires a JWT secret in production mode, and never prints it', () => {
    expect(() => loadConfig({ EVENTSTORE_URL: 'kurrentdb://h:2113' })).toThrow(/JWT_SECRET is required/);
    let message = '';
    try {
      loadConfig({ JWT_SECRET: 'short-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/JWT_SECRET=\(hidden\): JWT_SECRET must be at least 32 characters/);
    expect(message).not.toContain('short-secret');
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT=70000/);
  });

  it('leaves the metrics server off unless METRICS_PORT is a port', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(() => loadConfig({ METRICS_PORT: 'on' })).toThrow(/METRICS_PORT="on":.*METRICS_PORT must be a whole number/);
    expect(() => loadConfig({ METRICS_PORT: '65536' })).toThrow(/METRICS_PORT=65536/);
  });
});
