import { logLevel } from 'kafkajs';
import pino from 'pino';
import { kafkaLogLevel, pinoLogCreator } from './kafkajs-logger';

const capture = (level: string) => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
};

describe('kafkajs logs through pino', () => {
  it('writes each kafkajs entry at its level, with its fields under `kafkajs`', () => {
    const { logger, lines } = capture('debug');
    const log = pinoLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) =>
      log({ namespace: 'Connection', level, label: 'X', log: { timestamp: 'ignored', logger: 'kafkajs', message, ...extra } });
    entry(logLevel.ERROR, 'Connection error', { broker: '127.0.0.1:9092', level: 'spoofed', msg: 'spoofed' });
    entry(logLevel.WARN, 'w');
    entry(logLevel.INFO, 'i');
    entry(logLevel.DEBUG, 'd');
    entry(logLevel.NOTHING, 'never');

    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'Connection error'],
      [40, 'w'],
      [30, 'i'],
      [20, 'd'],
    ]);
    expect(lines[0].kafkajs).toEqual({ namespace: 'Connection', broker: '127.0.0.1:9092', level: 'spoofed', msg: 'spoofed' });
  });

  it('asks kafkajs for no more detail than the logger prints', () => {
    expect(kafkaLogLevel(capture('trace').logger)).toBe(logLevel.DEBUG);
    expect(kafkaLogLevel(capture('info').logger)).toBe(logLevel.INFO);
    expect(kafkaLogLevel(capture('warn').logger)).toBe(logLevel.WARN);
    expect(kafkaLogLevel(capture('fatal').logger)).toBe(logLevel.NOTHING);
    expect(kafkaLogLevel(capture('silent').logger)).toBe(logLevel.NOTHING);
  });
});
