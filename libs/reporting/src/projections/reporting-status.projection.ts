import type { RecordedEvent } from '@app/eventstore';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import type { ReportingObligationOpened } from '../domain/report.events';
import {
  createObligationIndexes,
  createObligationTables,
  evolveObligation,
  keyString,
  loadObligations,
  OBLIGATION_SCOPE_TABLE,
  type ObligationKey,
  obligationKeyOf,
  type ObligationRow,
  OBLIGATIONS_TABLE,
  saveObligations,
} from './obligation-status.projection';
import { createTargetTables, PERIODS_TABLE, TARGET_SETS_TABLE, TargetBatch } from './reporting-targets';
import { createRollupIndexes, createRollupTable, ROLLUPS_TABLE, RollupChanges } from './rollup.projection';

/**
 * Obligation status and roll-ups in one projection: a roll-up moves by the difference between an
 * obligation's row before and after a batch, so both must be written in the same transaction, at
 * the same checkpoint. Unit events are not read at all: every obligation carries the unit's level
 * and ancestors as they were when it opened, so moves and merges never rewrite past totals.
 */
export const reportingStatusProjection: Projection = {
  name: 'reporting-status',
  tables: [OBLIGATIONS_TABLE, OBLIGATION_SCOPE_TABLE, TARGET_SETS_TABLE, PERIODS_TABLE, ROLLUPS_TABLE],
  filter: { categories: ['report'] },
  async createTables(db: AnyDb, t: TableNames) {
    await createObligationTables(db, t);
    await createTargetTables(db, t);
    await createRollupTable(db, t);
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    await createObligationIndexes(db, t);
    await createRollupIndexes(db, t);
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    // Obligations opened in this batch have no stored row: only the others are read.
    const seen = new Set<string>();
    const toLoad: ObligationKey[] = [];
    for (const event of events) {
      const key = obligationKeyOf(event.streamId);
      if (!key || seen.has(keyString(key))) continue;
      seen.add(keyString(key));
      if (event.type !== 'ReportingObligationOpened') toLoad.push(key);
    }
    const before = await loadObligations(trx, t, toLoad);
    const after = new Map(before);
    const targets = new TargetBatch();
    const setIdOf = (opened: ReportingObligationOpened) => targets.opened(opened.data);
    for (const event of events) {
      const key = obligationKeyOf(event.streamId);
      if (!key) continue;
      const id = keyString(key);
      const row = evolveObligation(after.get(id), event, setIdOf);
      if (row) after.set(id, row);
    }
    const changes: { before?: ObligationRow; after: ObligationRow }[] = [];
    for (const [id, row] of after) if (row !== before.get(id)) changes.push({ before: before.get(id), after: row });
    const rules = await targets.rules(
      trx,
      t,
      changes.map((c) => c.after.target_set_id),
    );
    const rollups = new RollupChanges();
    for (const c of changes) rollups.add(c.before, c.after, rules.get(c.after.target_set_id) ?? []);
    await targets.save(trx, t);
    await saveObligations(
      trx,
      t,
      changes.map((c) => c.after),
      changes.filter((c) => !c.before).map((c) => c.after),
    );
    await rollups.save(trx, t);
  },
};
