import { createHash } from 'node:crypto';
import { type TargetDefinition, type TargetShape, targetValueAt } from '@app/kernel';
import type { AnyDb, TableNames } from '@app/readstore';
import type { Obligation } from '../domain/report.events';
import { groupBy, selectWhereIn, upsertRows } from './sql-batches';

export const TARGET_SETS_TABLE = 'rm_target_sets';
export const PERIODS_TABLE = 'rm_periods';

/**
 * What one unit's value is judged against when it rolls up, fixed when its obligation opened:
 * the floor in force at the period's cut-off (count_with_floor) and the threshold (share_of_units).
 */
export type TargetRule = Readonly<{ targetId: string; shape: TargetShape; floor: number; threshold: number }>;

export const targetRulesOf = (targets: readonly TargetDefinition[], windowTo: string): TargetRule[] =>
  targets.map((t) => ({ targetId: t.targetId, shape: t.shape, floor: targetValueAt(t, windowTo), threshold: t.threshold ?? 1 }));

const setIds = new Map<string, string>();

/**
 * Obligations share their rules through a content-addressed set, so 100,000 obligations of one
 * period store one copy of them, and an amended target never changes the rules an earlier
 * obligation was counted with.
 */
export const targetSetIdOf = (rulesJson: string): string => {
  let id = setIds.get(rulesJson);
  if (id === undefined) {
    id = createHash('sha256').update(rulesJson).digest('hex').slice(0, 32);
    if (setIds.size > 10_000) setIds.clear();
    setIds.set(rulesJson, id);
  }
  return id;
};

export type PeriodRow = {
  directive_id: string;
  period: string;
  window_from: string;
  window_to: string;
  /** UTC ISO instant. */
  due: string;
  /** TargetDefinition[]: every target an obligation of the period carried, the latest definition of each. */
  targets: string;
};

export const createTargetTables = async (db: AnyDb, t: TableNames): Promise<void> => {
  await db.schema
    .createTable(t[TARGET_SETS_TABLE])
    .ifNotExists()
    .addColumn('set_id', 'text', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable(t[PERIODS_TABLE])
    .ifNotExists()
    .addColumn('directive_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${t[PERIODS_TABLE]}_pk_${t.generation}`, ['directive_id', 'period'])
    .execute();
};

/** The target sets and period descriptions one batch of opened obligations brings. */
export class TargetBatch {
  private readonly sets = new Map<string, TargetRule[]>();
  private readonly newSets = new Map<string, string>();
  private readonly periods = new Map<string, { row: Omit<PeriodRow, 'targets'>; targets: Map<string, TargetDefinition> }>();

  /** Registers an opened obligation's rules; returns the id of their set. */
  opened(obligation: Obligation): string {
    const rules = targetRulesOf(obligation.targets, obligation.window.to);
    const json = JSON.stringify(rules);
    const id = targetSetIdOf(json);
    if (!this.sets.has(id)) {
      this.sets.set(id, rules);
      this.newSets.set(id, json);
    }
    const key = `${obligation.directiveId}\u0000${obligation.period}`;
    let period = this.periods.get(key);
    if (!period) {
      period = { row: { directive_id: obligation.directiveId, period: obligation.period } as PeriodRow, targets: new Map() };
      this.periods.set(key, period);
    }
    period.row = {
      directive_id: obligation.directiveId,
      period: obligation.period,
      window_from: obligation.window.from,
      window_to: obligation.window.to,
      due: new Date(obligation.due).toISOString(),
    };
    for (const target of obligation.targets) period.targets.set(target.targetId, target);
    return id;
  }

  /** The rules of every set named, loading those this batch did not bring. */
  async rules(trx: AnyDb, t: TableNames, ids: Iterable<string>): Promise<ReadonlyMap<string, readonly TargetRule[]>> {
    const missing = [...new Set(ids)].filter((id) => !this.sets.has(id));
    if (missing.length > 0) {
      const rows = await selectWhereIn<{ set_id: string; rules: string }>(trx, t[TARGET_SETS_TABLE], {}, 'set_id', missing);
      for (const row of rows) this.sets.set(row.set_id, JSON.parse(row.rules) as TargetRule[]);
    }
    return this.sets;
  }

  async save(trx: AnyDb, t: TableNames): Promise<void> {
    await upsertRows(
      trx,
      t[TARGET_SETS_TABLE],
      [...this.newSets].map(([set_id, rules]) => ({ set_id, rules })),
      { keys: ['set_id'], action: 'nothing' },
    );
    if (this.periods.size === 0) return;
    const stored = new Map<string, PeriodRow>();
    for (const group of groupBy(this.periods.values(), (p) => p.row.directive_id).values()) {
      const rows = await selectWhereIn<PeriodRow>(
        trx,
        t[PERIODS_TABLE],
        { directive_id: group[0].row.directive_id },
        'period',
        group.map((p) => p.row.period),
      );
      for (const row of rows) stored.set(`${row.directive_id}\u0000${row.period}`, row);
    }
    const rows = [...this.periods].map(([key, { row, targets }]): PeriodRow => {
      const merged = new Map<string, TargetDefinition>();
      const before = stored.get(key);
      if (before) for (const target of JSON.parse(before.targets) as TargetDefinition[]) merged.set(target.targetId, target);
      for (const [id, target] of targets) merged.set(id, target);
      return { ...row, targets: JSON.stringify([...merged.values()]) };
    });
    await upsertRows(trx, t[PERIODS_TABLE], rows, { keys: ['directive_id', 'period'], action: 'replace' });
  }
}
