import { sql } from 'kysely';
import type { AnyDb, ReadStore } from '@app/readstore';
import { TIMERS_TABLE, type TimerRow } from './obligation-timers.projection';
import { PERIOD_TIMERS_TABLE, type PeriodTimerRow } from './period-timers.projection';

const numeric = <R extends { claimed_until: number }>(row: R, keys: readonly (keyof R)[]): R => {
  const out = { ...row };
  for (const key of keys) if (out[key] !== null) (out as Record<keyof R, unknown>)[key] = Number(out[key]);
  return out;
};

export type TimerCounts = Readonly<{
  /** Armed timers not yet due. */
  pending: number;
  /** Armed timers due now or earlier and not fired yet (a backlog when large). */
  due: number;
  /** Timers held while their report awaits review. */
  disarmed: number;
}>;

/**
 * The claim of up to `limit` due obligation timers, oldest first, for `leaseMs`: one UPDATE over a
 * bounded SELECT (locked with SKIP LOCKED on PostgreSQL). Exported for the benchmark's query plan.
 */
export const claimStatement = (db: AnyDb, dialect: ReadStore['dialect'], now: number, limit: number, leaseMs: number) => {
  let due = db
    .selectFrom(TIMERS_TABLE)
    .select('timer_id')
    .where('armed', '=', 1)
    .where('fire_at', '<=', now)
    .where('claimed_until', '<=', now)
    .orderBy('fire_at')
    .limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable(TIMERS_TABLE)
    .set({ claimed_until: now + leaseMs, attempts: sql`attempts + 1` })
    .where('timer_id', 'in', due)
    .returningAll();
};

/**
 * Claims due timers in bounded batches. A claim sets `claimed_until` (a lease): other schedulers
 * and later passes skip the row until the lease ends, by which time the event the timer fired has
 * normally been projected and the row is gone. On PostgreSQL the candidate rows are locked with
 * `FOR UPDATE SKIP LOCKED`, so schedulers on several workers never take the same timer; on SQLite
 * the claim runs under the write lock. Nothing here keeps timers in memory.
 */
export class TimerClaims {
  constructor(private readonly store: ReadStore) {}

  async claimObligationTimers(now: number, limit: number, leaseMs: number): Promise<TimerRow[]> {
    const rows = await this.store.transaction(
      async (trx) => (await claimStatement(trx, this.store.dialect, now, limit, leaseMs).execute()) as TimerRow[],
    );
    return rows
      .map((r) => numeric(r, ['fire_at', 'claimed_until', 'step', 'armed', 'attempts', 'days_before']))
      .sort((a, b) => a.fire_at - b.fire_at || a.timer_id.localeCompare(b.timer_id));
  }

  async claimPeriodTimers(now: number, limit: number, leaseMs: number): Promise<PeriodTimerRow[]> {
    const rows = await this.store.transaction(async (trx) => {
      let due = trx
        .selectFrom(PERIOD_TIMERS_TABLE)
        .select('directive_id')
        .where('open_at', 'is not', null)
        .where('open_at', '<=', now)
        .where('claimed_until', '<=', now)
        .orderBy('open_at')
        .limit(limit);
      if (this.store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return (await trx
        .updateTable(PERIOD_TIMERS_TABLE)
        .set({ claimed_until: now + leaseMs, attempts: sql`attempts + 1` })
        .where('directive_id', 'in', due)
        .returningAll()
        .execute()) as PeriodTimerRow[];
    });
    return rows.map((r) => numeric(r, ['open_at', 'claimed_until', 'attempts'])).sort((a, b) => a.open_at! - b.open_at!);
  }

  /** Drops a timer that keeps firing to no effect (a bug, or data from before a fix): logged by the caller. */
  async discardObligationTimers(timerIds: readonly string[]): Promise<void> {
    if (timerIds.length === 0) return;
    await this.store.transaction((trx) =>
      trx
        .deleteFrom(TIMERS_TABLE)
        .where('timer_id', 'in', [...timerIds])
        .execute(),
    );
  }

  async counts(now: number, db: AnyDb = this.store.db): Promise<TimerCounts> {
    const row = await db
      .selectFrom(TIMERS_TABLE)
      .select([
        sql<number>`sum(case when armed = 1 and fire_at > ${now} then 1 else 0 end)`.as('pending'),
        sql<number>`sum(case when armed = 1 and fire_at <= ${now} then 1 else 0 end)`.as('due'),
        sql<number>`sum(case when armed = 0 then 1 else 0 end)`.as('disarmed'),
      ])
      .executeTakeFirst();
    return { pending: Number(row?.pending ?? 0), due: Number(row?.due ?? 0), disarmed: Number(row?.disarmed ?? 0) };
  }
}
