import type { FieldError } from '@app/kernel';

/**
 * Reads fields of untrusted JSON, collecting every problem with its path instead of stopping at
 * the first. Only own properties count, so `__proto__`, `constructor` and the like are never
 * mistaken for fields, and every object returned is built afresh from known keys.
 */
export class JsonFields {
  constructor(
    private readonly source: Readonly<Record<string, unknown>>,
    private readonly path: string,
    readonly problems: FieldError[],
  ) {}

  /** A reader over `value` if it is a plain JSON object; records a problem otherwise. */
  static of(value: unknown, path: string, problems: FieldError[]): JsonFields | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return new JsonFields(value as Record<string, unknown>, path, problems);
    }
    problems.push({ field: path || '(message)', message: 'must be a JSON object' });
    return undefined;
  }

  text(key: string, maxLength: number): string | undefined;
  text(key: string, maxLength: number, optional: 'optional'): string | undefined;
  text(key: string, maxLength: number, optional?: 'optional'): string | undefined {
    const value = this.get(key);
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.length === 0) return this.problem(key, 'must be a non-empty string');
    if (value.length > maxLength) return this.problem(key, `must be at most ${maxLength} characters`);
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.get(key);
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.problem(key, `must be one of ${allowed.join(', ')}`);
  }

  /** An ISO 8601 instant with a date, a time and an offset, e.g. 2026-03-31T17:00:00.000Z. */
  instant(key: string, optional?: 'optional'): string | undefined {
    const value = this.get(key);
    if (value === undefined && optional) return undefined;
    const valid =
      typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
      Number.isFinite(Date.parse(value));
    return valid ? value : this.problem(key, 'must be an ISO 8601 instant such as 2026-03-31T17:00:00Z');
  }

  count(key: string, optional?: 'optional'): number | undefined {
    const value = this.get(key);
    if (value === undefined && optional) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    return this.problem(key, 'must be a whole number, zero or more');
  }

  httpUrl(key: string, maxLength: number): string | undefined {
    const value = this.text(key, maxLength);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    return this.problem(key, 'must be an http(s) URL');
  }

  object<T>(key: string, read: (fields: JsonFields) => T, optional?: 'optional'): T | undefined {
    const value = this.get(key);
    if (value === undefined && optional) return undefined;
    const fields = JsonFields.of(value, this.at(key), this.problems);
    return fields && read(fields);
  }

  list<T>(key: string, maxItems: number, read: (fields: JsonFields) => T): T[] | undefined {
    const value = this.get(key);
    if (!Array.isArray(value)) return this.problem(key, 'must be an array');
    if (value.length > maxItems) return this.problem(key, `must have at most ${maxItems} items`);
    const items: T[] = [];
    value.forEach((item: unknown, index) => {
      const fields = JsonFields.of(item, `${this.at(key)}[${index}]`, this.problems);
      if (fields) items.push(read(fields));
    });
    return items;
  }

  problem(key: string, message: string): undefined {
    this.problems.push({ field: this.at(key), message });
    return undefined;
  }

  private get(key: string): unknown {
    return Object.hasOwn(this.source, key) ? this.source[key] : undefined;
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

/** Copies the entries whose value is defined, so optional fields that were absent stay absent. */
export const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
