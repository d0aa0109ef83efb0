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
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT=70000/);
  });
});
