import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LEVELS } from '../domain/levels';
import { loadLevels } from './levels-file';

describe('loadLevels', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'levels-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (content: string) => {
    const path = join(dir, 'levels.json');
    writeFileSync(path, content);
    return path;
  };

  it('uses the defaults without a file, and reads a file that drops the district level', () => {
    expect(loadLevels(undefined)).toBe(DEFAULT_LEVELS);
    const levels = [
      { code: 'central', name: 'Central', nameVi: 'Trung ương', depth: 0 },
      { code: 'province', name: 'Province', nameVi: 'Tỉnh', depth: 1 },
      { code: 'commune', name: 'Commune', nameVi: 'Xã', depth: 2 },
    ];
    expect(loadLevels(file(JSON.stringify(levels)))).toEqual(levels);
  });

  it('names every problem in a bad file', () => {
    const bad = file(
      JSON.stringify([
        { code: 'Central', name: '', nameVi: 'x', depth: 0 },
        { code: 'a', name: 'A', nameVi: 'A', depth: 0 },
        { code: 'a', name: 'B', nameVi: 'B', depth: -1 },
      ]),
    );
    expect(() => loadLevels(bad)).toThrow(
      /\[0\]\.code must be lower-case[\s\S]*\[0\]\.name must be text[\s\S]*\[1\]\.depth 0 is repeated[\s\S]*\[2\]\.code "a" is repeated[\s\S]*\[2\]\.depth must be a whole number/,
    );
    expect(() => loadLevels(file('{not json'))).toThrow(/LEVELS_FILE .*levels\.json: /);
    expect(() => loadLevels(file('[]'))).toThrow(/non-empty JSON array/);
  });
});
