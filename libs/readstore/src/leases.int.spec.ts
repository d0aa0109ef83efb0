import { Leases } from './leases';
import { ReadStoreCheckpoints } from './read-store-checkpoints';
import { describeOnReadStores, type ReadStoreFixture } from './testing/read-stores';

const NAMES = ['projection:unit-tree', 'projection:audit-index', 'relay:kafka'];

describeOnReadStores('Leases', (open) => {
  let fixture: ReadStoreFixture;
  let leases: Leases;
  beforeEach(async () => {
    fixture = await open();
    leases = new Leases(fixture.store);
  });
  afterEach(async () => fixture.cleanup());

  it('gives each lease to one holder; the other gets nothing while it is live', async () => {
    expect((await leases.acquire('a', NAMES, 60_000)).sort()).toEqual([...NAMES].sort());
    expect(await leases.acquire('b', NAMES, 60_000)).toEqual([]);
    expect((await leases.renew('a', NAMES, 60_000)).sort()).toEqual([...NAMES].sort());
    expect(await leases.renew('b', NAMES, 60_000)).toEqual([]);
    const listed = await leases.list();
    expect(listed.map((l) => [l.name, l.holder, l.live, l.epoch])).toEqual([...NAMES].sort().map((name) => [name, 'a', true, 1]));
    // Acquiring again what one already holds is a renewal: same epoch.
    expect(await leases.acquire('a', ['relay:kafka'], 60_000)).toEqual(['relay:kafka']);
    expect((await leases.list()).find((l) => l.name === 'relay:kafka')?.epoch).toBe(1);
  });

  it('lets another holder take an expired lease over; the old holder finds it lost', async () => {
    // A lifetime in the past: expired as soon as written, without waiting for the clock.
    await leases.acquire('a', NAMES, -1_000);
    expect((await leases.list()).every((l) => !l.live)).toBe(true);
    expect(await leases.acquire('b', ['relay:kafka'], 60_000)).toEqual(['relay:kafka']);
    const relay = (await leases.list()).find((l) => l.name === 'relay:kafka');
    expect(relay).toMatchObject({ holder: 'b', live: true, epoch: 2 });
    // The old holder renews what it still has: the two nobody took; not the relay.
    expect((await leases.renew('a', NAMES, 60_000)).sort()).toEqual(['projection:audit-index', 'projection:unit-tree']);
  });

  it('hands a released lease to the next holder at once', async () => {
    await leases.acquire('a', NAMES, 60_000);
    await leases.release('a', ['projection:unit-tree']);
    expect(await leases.acquire('b', NAMES, 60_000)).toEqual(['projection:unit-tree']);
    await leases.release('a');
    expect((await leases.acquire('b', NAMES, 60_000)).sort()).toEqual([...NAMES].sort());
    expect((await leases.list()).map((l) => l.holder)).toEqual(['b', 'b', 'b']);
  });

  it('gives every lease to exactly one of many holders racing for it', async () => {
    const holders = ['a', 'b', 'c', 'd'];
    const won = await Promise.all(holders.map((h) => new Leases(fixture.store).acquire(h, NAMES, 60_000)));
    const winners = NAMES.map((name) => holders.filter((_, i) => won[i].includes(name)));
    expect(winners.every((w) => w.length === 1)).toBe(true);
    const listed = await leases.list();
    expect(listed.map((l) => l.holder).sort()).toEqual(winners.map((w) => w[0]).sort());
  });
});

describeOnReadStores('Checkpoints in the read store', (open) => {
  let fixture: ReadStoreFixture;
  beforeEach(async () => (fixture = await open()));
  afterEach(async () => fixture.cleanup());

  it('starts at zero, stores, and never moves a checkpoint back', async () => {
    const checkpoints = new ReadStoreCheckpoints(fixture.store);
    expect(await checkpoints.load('relay:kafka')).toBe(0);
    await checkpoints.store('relay:kafka', 120);
    await checkpoints.store('relay:kafka', 80);
    expect(await checkpoints.load('relay:kafka')).toBe(120);
    await checkpoints.store('relay:kafka', 121);
    // Another process's view of the same table.
    expect(await new ReadStoreCheckpoints(fixture.store).load('relay:kafka')).toBe(121);
    expect(await checkpoints.load('saga:period-opener')).toBe(0);
  });
});
