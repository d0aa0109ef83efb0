import { describeEventStoreContract } from '../testing/event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory (for unit tests)', {
  open: async (options) => new InMemoryEventStore(() => 0, options?.upcasters),
  largeStreamSize: 5000,
  opensShareData: false,
});
