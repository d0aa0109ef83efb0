// Deadlines: (1) ~100,000 obligations falling due at one instant in the embedded engine: time until
// every ReportOverdue is recorded, and a status query's latency over HTTP meanwhile against the
// same query idle, for several scheduler batch sizes; (2) the worker's memory with 1,000,000 pending
// timers against 10,000, and the plan of the claim query.
// Run: npm run bench:deadlines [-- --quick]   (BENCH_RPS: status queries per second, default 100)
import { formatMs, formatPercent, isQuick, median, nowMs, printTable, TempFiles } from '../harness';
import { type BurstResult, buildSnapshot, runBurst, STATUS_PATH } from './overdue-burst';
import { AFTER_DUE, claimQueryPlan, measureWorker, seedPendingTimers, type WorkerMemory } from './pending-timers';
import type { LatencySummary } from './status-load';

const quick = isQuick();
const files = new TempFiles('bench-deadlines-');
const BRANCHES_PER_COMMUNE = quick ? 3 : 31;
/** The default batch (SCHEDULER_BATCH_SIZE), smaller and larger ones, and the default with the API in a process of its own. */
const VARIANTS = [
  { batchSize: 500, apiProcess: false },
  { batchSize: 100, apiProcess: false },
  { batchSize: 2000, apiProcess: false },
  { batchSize: 500, apiProcess: true },
];
const labelOf = (v: { batchSize: number; apiProcess: boolean }) => `${v.batchSize}${v.apiProcess ? ', API process' : ''}`;
const ROUNDS = quick ? 1 : 2;
const RATE = Number(process.env.BENCH_RPS ?? 100);
const IDLE_SECONDS = quick ? 3 : 5;
const DUE_NOW = 2000;
const PENDING = quick ? [10_000, 100_000] : [10_000, 1_000_000];
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a');
const p = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p99)}`;

const burst = async () => {
  console.log('\n== 1. obligations falling due at one instant (embedded engine, one SQLite file)');
  const snapshot = await buildSnapshot(files, BRANCHES_PER_COMMUNE);
  console.log(
    `  snapshot: ${snapshot.obligations.toLocaleString('en-US')} obligations, ${snapshot.head.toLocaleString('en-US')} events; clock ${snapshot.beforeDue.toISOString()} → ${snapshot.afterDue.toISOString()}`,
  );
  console.log(`  load: GET ${STATUS_PATH} at ${RATE}/s, open loop, from a worker thread`);
  const results: BurstResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const r = await runBurst(files, snapshot, { ...variant, ratePerSecond: RATE, idleSeconds: IDLE_SECONDS });
      results.push(r);
      console.log(
        `  round ${round + 1}, batch ${labelOf(variant)}: ${r.overdueEvents.toLocaleString('en-US')} overdue in ${formatMs(r.recordMs)} ` +
          `(${r.passes} passes: ${formatMs(r.passTotalMs)} in all, longest ${formatMs(r.maxPassMs)}; claims ${formatMs(r.claimTotalMs)}, longest ${formatMs(r.maxClaimMs)}; ` +
          `engine event-loop delay p99 ${ms(r.loopDelayP99Ms)}, max ${ms(r.loopDelayMaxMs)}), projected at ${formatMs(r.projectedMs)}; ` +
          `p50/p99 idle ${p(r.idle)}, busy ${p(r.busy)} (max ${ms(r.busy.max)}, ${r.busy.count} requests, ${r.busy.failed} failed, ${r.busy.opened} new connections), ` +
          `projecting ${p(r.drain)}, idle after ${p(r.idleAfter)}; status shows ${r.overdueInStatus} overdue`,
      );
    }
  }
  return { snapshot, results };
};

const pendingTimers = async () => {
  console.log('\n== 2. pending timers and the worker’s memory');
  const seeded = new Map<number, string>();
  for (const pending of PENDING) {
    const file = files.file(`pending-${pending}`);
    const started = nowMs();
    const { rows, fillMs } = await seedPendingTimers(file, DUE_NOW, pending);
    seeded.set(pending, file);
    console.log(
      `  seeded ${rows.toLocaleString('en-US')} timer rows (${pending.toLocaleString('en-US')} inserted in ${formatMs(fillMs)}) in ${formatMs(nowMs() - started)}`,
    );
  }
  const plans = await claimQueryPlan(seeded.get(PENDING[PENDING.length - 1])!, AFTER_DUE.getTime());
  for (const { sql, plan } of plans) console.log(`  EXPLAIN QUERY PLAN ${sql}\n${plan.map((d) => `    ${d}`).join('\n')}`);
  // Interleaved: small, large (, large, small).
  const order = quick ? PENDING : [...PENDING, ...[...PENDING].reverse()];
  const runs: WorkerMemory[] = [];
  for (const pending of order) {
    const r = await measureWorker(files, seeded.get(pending)!, pending, DUE_NOW);
    runs.push(r);
    console.log(
      `  ${pending.toLocaleString('en-US')} pending: RSS ${r.rssBeforeMb.toFixed(0)} → stores open ${r.rssStoresOpenMb.toFixed(0)} → started ${r.rssAfterStartMb.toFixed(0)} → after passes ${r.rssAfterPassesMb.toFixed(0)} MB (peak ${r.peakRssMb.toFixed(0)}, heap ${r.heapAfterPassesMb.toFixed(0)}); ` +
        `start ${formatMs(r.startMs)}, ${r.passes} passes fired ${r.fired} (${r.overdueEvents} overdue events), claim median ${ms(r.claimMsMedian)} max ${ms(r.claimMsMax)}, ${r.timersLeft.toLocaleString('en-US')} rows left`,
    );
  }
  return { runs, plans };
};

const medianOf = <T>(items: readonly T[], pick: (item: T) => number) => median(items.map(pick));

const main = async () => {
  const started = nowMs();
  const a = only === 'memory' ? undefined : await burst();
  const b = only === 'burst' ? undefined : await pendingTimers();

  console.log('\n== Summary');
  if (a) {
    const rows = VARIANTS.map((variant) => {
      const rs = a.results.filter((r) => r.batchSize === variant.batchSize && (r.api === 'own process') === variant.apiProcess);
      const idleP99 = medianOf(rs, (r) => r.idle.p99);
      const busyP99 = medianOf(rs, (r) => r.busy.p99);
      const recordMs = medianOf(rs, (r) => r.recordMs);
      const passShare = medianOf(rs, (r) => r.passTotalMs / r.recordMs);
      return [
        labelOf(variant),
        rs.map((r) => r.overdueEvents.toLocaleString('en-US')).join(', '),
        formatMs(recordMs),
        formatPercent(passShare),
        formatMs(medianOf(rs, (r) => r.projectedMs)),
        `${ms(medianOf(rs, (r) => r.idle.p50))} / ${ms(idleP99)}`,
        `${ms(medianOf(rs, (r) => r.busy.p50))} / ${ms(busyP99)}`,
        `${(busyP99 / idleP99).toFixed(1)}x`,
        ms(medianOf(rs, (r) => r.drain.p99)),
        recordMs < 10_000 ? 'yes' : 'NO',
        busyP99 < 50 ? 'yes' : 'NO',
      ];
    });
    console.log(
      `${a.snapshot.obligations.toLocaleString('en-US')} obligations due at one instant; medians of ${ROUNDS} round(s); status query at ${RATE}/s`,
    );
    printTable(
      [
        'batch',
        'overdue events',
        'all recorded',
        'in passes',
        'all projected',
        'idle p50/p99',
        'busy p50/p99',
        'p99 busy/idle',
        'projecting p99',
        '< 10 s?',
        'p99 < 50 ms?',
      ],
      rows,
    );
  }
  if (b) {
    const by = (pending: number) => b.runs.filter((r) => r.pending === pending);
    const base = by(PENDING[0]);
    const rows = PENDING.map((pending) => {
      const rs = by(pending);
      const after = medianOf(rs, (r) => r.rssAfterPassesMb);
      return [
        pending.toLocaleString('en-US'),
        `${medianOf(rs, (r) => r.rssStoresOpenMb).toFixed(0)} MB`,
        `${medianOf(rs, (r) => r.rssAfterStartMb).toFixed(0)} MB`,
        `${after.toFixed(0)} MB`,
        `${medianOf(rs, (r) => r.peakRssMb).toFixed(0)} MB`,
        `${(after / medianOf(base, (r) => r.rssAfterPassesMb)).toFixed(2)}x`,
        ms(medianOf(rs, (r) => r.claimMsMedian)),
        formatMs(medianOf(rs, (r) => r.startMs)),
      ];
    });
    printTable(
      [
        'pending timers',
        'RSS stores open',
        'RSS started',
        'RSS after passes',
        'peak RSS',
        'vs 10,000',
        'claim median',
        'start-up',
      ],
      rows,
    );
    const usesIndex = b.plans[0].plan.some((d) => /USING (COVERING )?INDEX rm_timers_due/.test(d));
    console.log(`claim select uses the (armed, fire_at) index: ${usesIndex ? 'yes' : 'NO'}`);
  }
  console.log(`(total ${formatMs(nowMs() - started)})`);
  files.dispose();
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
