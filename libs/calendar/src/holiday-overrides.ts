import { readFileSync } from 'node:fs';
import type { FieldError } from '@app/kernel';
import { HolidayOverridesInvalid } from './calendar.errors';
import { isLocalDate, type LocalDate } from './local-date';

export type HolidayOverrides = Readonly<{ add: LocalDate[]; remove: LocalDate[] }>;

const LISTS = ['add', 'remove'] as const;
/** Free text for the decision the entries follow; JSON has no comments. */
const COMMENT_KEY = '$comment';

/**
 * Parses `{ "add": [...], "remove": [...] }` (either list may be left out). Every problem is
 * reported at once, each entry by its position: a date that is not `YYYY-MM-DD` or not on the
 * calendar, a date in both lists, an unknown key.
 */
export const parseHolidayOverrides = (text: string, source: string): HolidayOverrides => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HolidayOverridesInvalid(source, [{ field: '(file)', message: `is not JSON: ${(e as Error).message}` }]);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new HolidayOverridesInvalid(source, [
      { field: '(file)', message: 'must be an object { "add": [...], "remove": [...] }' },
    ]);
  const problems: FieldError[] = [];
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!(LISTS as readonly string[]).includes(key) && key !== COMMENT_KEY)
      problems.push({ field: key, message: `is not a known key (use ${LISTS.join(', ')} or ${COMMENT_KEY})` });
  const lists = { add: [] as LocalDate[], remove: [] as LocalDate[] };
  for (const name of LISTS) {
    const list = record[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({ field: name, message: 'must be a list of dates YYYY-MM-DD' });
      continue;
    }
    list.forEach((entry, i) => {
      if (isLocalDate(entry)) lists[name].push(entry);
      else problems.push({ field: `${name}[${i}]`, message: `${JSON.stringify(entry)} is not a date YYYY-MM-DD` });
    });
  }
  const removed = new Set(lists.remove);
  lists.add.forEach((d) => {
    if (removed.has(d)) problems.push({ field: 'add', message: `${d} is also in remove` });
  });
  if (problems.length > 0) throw new HolidayOverridesInvalid(source, problems);
  return lists;
};

/** Reads a holiday override file (see docs/calendar.md); throws naming the file and every bad entry. */
export const loadHolidayOverrides = (path: string): HolidayOverrides => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HolidayOverridesInvalid(path, [{ field: '(file)', message: `cannot be read: ${(e as Error).message}` }]);
  }
  return parseHolidayOverrides(text, path);
};
