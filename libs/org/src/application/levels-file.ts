import { readFileSync } from 'node:fs';
import { DEFAULT_LEVELS, type LevelDefinition } from '../domain/levels';

const CODE = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The hierarchy's levels: the defaults (central … group), or a JSON file (LEVELS_FILE) such as
 * `[{"code":"central","name":"Central","nameVi":"Trung ương","depth":0}, …]`. Every problem is
 * named; the engine refuses to start with a bad file.
 */
export const loadLevels = (file: string | undefined): readonly LevelDefinition[] => {
  if (!file) return DEFAULT_LEVELS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`LEVELS_FILE ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error(`LEVELS_FILE ${file}: must be a non-empty JSON array of levels`);
  const problems: string[] = [];
  const codes = new Set<string>();
  const depths = new Set<number>();
  parsed.forEach((level: Record<string, unknown>, i) => {
    const where = `[${i}]`;
    if (typeof level !== 'object' || level === null) return problems.push(`${where} must be an object`);
    if (typeof level.code !== 'string' || !CODE.test(level.code))
      problems.push(`${where}.code must be lower-case letters, digits or _`);
    else if (codes.has(level.code)) problems.push(`${where}.code "${level.code}" is repeated`);
    else codes.add(level.code);
    if (typeof level.name !== 'string' || level.name.trim() === '') problems.push(`${where}.name must be text`);
    if (typeof level.nameVi !== 'string' || level.nameVi.trim() === '') problems.push(`${where}.nameVi must be text`);
    if (!Number.isInteger(level.depth) || (level.depth as number) < 0) problems.push(`${where}.depth must be a whole number ≥ 0`);
    else if (depths.has(level.depth as number)) problems.push(`${where}.depth ${String(level.depth)} is repeated`);
    else depths.add(level.depth as number);
    return undefined;
  });
  if (problems.length > 0) throw new Error(`LEVELS_FILE ${file}:\n  - ${problems.join('\n  - ')}`);
  return parsed as LevelDefinition[];
};
