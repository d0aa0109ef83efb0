import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small hand-written hierarchy for end-to-end tests: the central unit, the province of Lào Cai,
 * three of its (pre-2025) districts and three communes under each, 14 units in the import format.
 */
export const LAO_CAI_SAMPLE_CSV_PATH = join(__dirname, 'lao-cai-hierarchy.csv');

export const readLaoCaiSampleCsv = (): string => readFileSync(LAO_CAI_SAMPLE_CSV_PATH, 'utf8');
