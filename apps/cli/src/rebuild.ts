import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ALL_PROJECTIONS, projectionNamed } from '@app/read-models';
import { openStores } from '@app/platform';
import { type Projection, Projector } from '@app/readstore';
import { configOrExit, runCommand } from './exit-codes';
import { ProgressBar } from './progress-bar';

const USAGE = `Usage: npm run rebuild -- (--all | --projection <name> [--projection <name> ...])

Rebuilds read models from position zero into shadow tables, with progress on stderr, then swaps
them in atomically. The live tables keep serving queries (and the worker keeps them current)
until the swap. Uses the same DATA_DIR / READSTORE_URL / EVENTSTORE_URL as the engine.

Projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}
`;

const main = async (): Promise<number> => {
  let args: ReturnType<
    typeof parseArgs<{
      options: {
        all: { type: 'boolean' };
        projection: { type: 'string'; multiple: true };
        help: { type: 'boolean'; short: 'h' };
      };
    }>
  >;
  try {
    args = parseArgs({
      options: {
        all: { type: 'boolean' },
        projection: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`rebuild: ${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const names = args.values.projection ?? [];
  if (!args.values.all && names.length === 0) {
    process.stderr.write(`rebuild: say --all or name a projection\n\n${USAGE}`);
    return 64;
  }
  const unknown = names.filter((n) => !projectionNamed(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `rebuild: unknown projection ${unknown.join(', ')}; known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}\n`,
    );
    return 64;
  }
  const chosen: Projection[] = args.values.all ? [...ALL_PROJECTIONS] : names.map((n) => projectionNamed(n) as Projection);
  const config = configOrExit('rebuild');
  if (typeof config === 'number') return config;
  const stores = await openStores(config);
  try {
    const projector = new Projector(stores.readStore, ALL_PROJECTIONS);
    await projector.prepare();
    const bar = new ProgressBar();
    for (const projection of chosen) {
      const started = Date.now();
      const done = await projector.rebuild(projection, stores.eventStore, (p) =>
        bar.update(projection.name, p.position, p.head, p.eventsPerSecond),
      );
      bar.update(projection.name, done.head, done.head, done.eventsPerSecond, true);
      process.stdout.write(
        `${JSON.stringify({ projection: projection.name, events: done.events, position: done.position, ms: Date.now() - started, eventsPerSecond: done.eventsPerSecond })}\n`,
      );
    }
    return 0;
  } finally {
    await stores.close();
  }
};

runCommand('rebuild', main);
