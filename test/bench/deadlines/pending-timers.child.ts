// One worker start over a store with many pending timers, in its own process, for a clean RSS:
// stores opened, projections prepared and following the log, the deadline scheduler built and run
// (its production loop) until the timers due now have fired. Prints one `RESULT {json}` line.
// Run by pending-timers.ts: node … pending-timers.child.ts <sqlite file> <clock ISO instant> <due obligations>
import { CommandHandler } from '@app/commanding';
import { DirectiveService } from '@app/directives';
import { CheckpointedSubscription, SqliteEventStore, WriteLock } from '@app/eventstore';
import { Access, UnitDirectory } from '@app/org';
import { ManualClock } from '@app/platform';
import { ALL_PROJECTIONS } from '@app/read-models';
import { Projector, SqliteReadStore } from '@app/readstore';
import { ReportingService, TIMERS_TABLE } from '@app/reporting';
import { collectGarbage, median, nowMs } from '../harness';
import { TimedScheduler } from './timed-scheduler';

const MB = 1024 * 1024;
const rss = (): number => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().rss / MB;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const main = async () => {
  const [file, nowIso, dueArg] = process.argv.slice(2);
  const due = Number(dueArg);
  const rssBeforeMb = rss();

  const lock = new WriteLock();
  const events = SqliteEventStore.open(file, { writeLock: lock });
  const readStore = new SqliteReadStore(file, lock);
  const clock = new ManualClock(new Date(nowIso));
  const now = () => clock.now();
  const handler = new CommandHandler(events);
  const directory = new UnitDirectory(events);
  const access = new Access(directory);
  const reporting = new ReportingService(handler, directory, access, new DirectiveService(handler, directory, access, now), now);
  const projector = new Projector(readStore, ALL_PROJECTIONS);
  const rssStoresOpenMb = rss();

  // Start-up as the worker does it: prepare the read models, start every projection, build the scheduler.
  const started = nowMs();
  await projector.prepare();
  const subscriptions = ALL_PROJECTIONS.map(
    (projection) =>
      new CheckpointedSubscription({
        name: `projection:${projection.name}`,
        store: events,
        checkpoints: { load: () => projector.checkpoint(readStore.db, projection.name), store: async () => undefined },
        filter: projection.filter,
        batchSize: 1000,
        handlerStoresCheckpoint: true,
        handle: async (batch) => void (await projector.project(projection, batch)),
      }),
  );
  subscriptions.forEach((s) => s.start());
  const scheduler = new TimedScheduler(readStore, handler, reporting, now, { batchSize: 500 });
  const startMs = nowMs() - started;
  await sleep(500);
  const rssAfterStartMb = rss();

  const written = scheduler.writes(due, 120_000);
  scheduler.start();
  const complete = await written;
  // A few more passes with nothing due, while the projections delete the fired timers.
  await sleep(3_500);
  await scheduler.stop();
  if (!complete) console.error(`only ${scheduler.written} of ${due} overdue events were written`);
  const rssAfterPassesMb = rss();
  const heapAfterPassesMb = process.memoryUsage().heapUsed / MB;

  await Promise.all(subscriptions.map((s) => s.stop()));
  const count = (sql: string) => events.db.prepare(sql).pluck().get() as number;
  const result = {
    due,
    rssBeforeMb,
    rssStoresOpenMb,
    rssAfterStartMb,
    rssAfterPassesMb,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    heapAfterPassesMb,
    startMs,
    passes: scheduler.passMs.length,
    fired: scheduler.fired,
    overdueEvents: count("SELECT count(*) FROM events WHERE type = 'ReportOverdue'"),
    timersLeft: count(`SELECT count(*) FROM ${TIMERS_TABLE}`),
    claimMsMedian: median(scheduler.timedClaims.claimMs),
    claimMsMax: Math.max(...scheduler.timedClaims.claimMs),
  };
  await readStore.close();
  await events.close();
  console.log(`RESULT ${JSON.stringify(result)}`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
