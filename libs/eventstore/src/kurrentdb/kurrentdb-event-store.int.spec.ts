import { describeEventStoreContract } from '../testing/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract(`KurrentDB at ${url}`, {
    open: (options) => KurrentDbEventStore.connect(url, { upcasters: options?.upcasters }),
    // A second client with its own connection, so the race test races two writers for real.
    openSecond: () => KurrentDbEventStore.connect(url),
    // Every run adds to a server that keeps its data, so keep the large stream modest.
    largeStreamSize: 3000,
  });
} else {
  // Jest hides the output of a file whose tests are all skipped, so one test runs to say so.
  describe('EventStore contract: KurrentDB', () => {
    it('is SKIPPED because EVENTSTORE_URL is not set', () => {
      console.log(
        'KurrentDB contract suite SKIPPED: EVENTSTORE_URL is not set. Start a server (see docs/eventstoredb.md) and set ' +
          "EVENTSTORE_URL='kurrentdb://localhost:2113?tls=false' to run it.",
      );
      expect(url ?? '').toBe('');
    });
  });
}
