import type { EventFeed, EventFilter } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { newEvent } from '../testing/event-fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { toEventData } from './kurrentdb-mapping';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

/** Takes `count` events from a feed, then closes it. */
const take = async (feed: EventFeed, count: number): Promise<RecordedEvent[]> => {
  const received: RecordedEvent[] = [];
  for await (const batch of feed) {
    received.push(...batch);
    if (received.length >= count) break;
  }
  return received;
};

const typesOf = (events: readonly RecordedEvent[]): string[] => events.map((e) => `${e.streamId}:${e.type}`);

describe('KurrentDB filters are applied by the server', () => {
  let client: FakeKurrentDbClient;
  let store: KurrentDbEventStore;

  beforeEach(async () => {
    client = new FakeKurrentDbClient();
    store = await KurrentDbEventStore.over(client);
    client.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await client.appendToStream('report-1', [toEventData(newEvent('Wanted')), toEventData(newEvent('Other'))]);
    await client.appendToStream('unit-1', [toEventData(newEvent('Wanted')), toEventData(newEvent('UnitRenamed'))]);
    client.writeSystemEvent('$ce-report', '$>');
    await client.appendToStream('report-2', [toEventData(newEvent('Wanted'))]);
    // The last event every case below matches, so a test that takes it has seen everything before it.
    await client.appendToStream('report-3', [toEventData(newEvent('Wanted'))]);
  });

  afterEach(() => store.close());

  const cases: Array<[string, EventFilter | undefined, object, string[]]> = [
    [
      'event types: an event-type regex matching the names exactly',
      { eventTypes: ['Wanted'] },
      { filterOn: 'eventType', regex: '^(?:Wanted)$' },
      ['report-1:Wanted', 'unit-1:Wanted', 'report-2:Wanted', 'report-3:Wanted'],
    ],
    [
      'categories: stream-name prefixes',
      { categories: ['report'] },
      { filterOn: 'streamName', prefixes: ['report-'] },
      ['report-1:Wanted', 'report-1:Other', 'report-2:Wanted', 'report-3:Wanted'],
    ],
    [
      'nothing: the server leaves out system events',
      undefined,
      { filterOn: 'eventType', regex: '^[^$].*' },
      ['report-1:Wanted', 'report-1:Other', 'unit-1:Wanted', 'unit-1:UnitRenamed', 'report-2:Wanted', 'report-3:Wanted'],
    ],
  ];

  it.each(cases)('subscribe sends %s; the server sends only what matches', async (_, filter, server, expected) => {
    const received = await take(store.subscribe({ after: 0, filter }), expected.length);
    expect(client.subscribeCalls[0].filter).toMatchObject(server);
    expect(typesOf(received)).toEqual(expected);
    // What crossed the wire is exactly what was asked for: no filtering left to the client.
    expect(client.subscriptions[0].delivered).toBe(expected.length);
  });

  it.each(cases)('readAll sends %s too', async (_, filter, server, expected) => {
    expect(typesOf(await store.readAll({ filter }))).toEqual(expected);
    expect(client.readAllCalls[0].filter).toMatchObject(server);
  });

  it('types AND categories: the server filters by type, the adapter drops the other categories', async () => {
    const filter = { eventTypes: ['Wanted'], categories: ['report'] };
    const received = await take(store.subscribe({ after: 0, filter }), 3);
    expect(client.subscribeCalls[0].filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:Wanted)$' });
    expect(typesOf(received)).toEqual(['report-1:Wanted', 'report-2:Wanted', 'report-3:Wanted']);
    // unit-1's Wanted event is of the right type, so the server sent it; the adapter dropped it.
    expect(client.subscriptions[0].delivered).toBe(4);

    expect(typesOf(await store.readAll({ filter }))).toEqual(['report-1:Wanted', 'report-2:Wanted', 'report-3:Wanted']);
    expect(client.readAllCalls.at(-1)?.filter).toMatchObject({ filterOn: 'eventType' });
  });

  it('never asks for checkpoint notifications, so none can be taken for an event position (#4970)', async () => {
    await take(store.subscribe({ after: 0, filter: { categories: ['report'] } }), 1);
    await take(store.subscribe({ after: 0, filter: { eventTypes: ['Wanted'] } }), 1);
    await take(store.subscribe({ after: 0 }), 1);
    expect(client.subscribeCalls).toHaveLength(3);
    for (const call of client.subscribeCalls) expect(call.filter?.checkpointReached).toBeUndefined();
  });

  it('stops a read without asking when a list is empty', async () => {
    expect(await store.readAll({ filter: { categories: [] } })).toEqual([]);
    expect(client.readAllCalls).toHaveLength(0);
  });
});
