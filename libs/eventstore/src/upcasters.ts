import type { RecordedEvent } from './recorded-event';

/** Turns the data of one schema version into the data of the next. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Keeps old events readable after their shape changes: events are stored as written and
 * upcast on read, one version step at a time, up to the latest registered version.
 */
export class Upcasters {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` for one event type. */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    let byVersion = this.steps.get(type);
    if (!byVersion) this.steps.set(type, (byVersion = new Map()));
    if (byVersion.has(fromVersion)) throw new Error(`Upcaster ${type} v${fromVersion} is registered twice`);
    byVersion.set(fromVersion, upcast);
    return this;
  }

  get isEmpty(): boolean {
    return this.steps.size === 0;
  }

  apply(event: RecordedEvent): RecordedEvent {
    const byVersion = this.steps.get(event.type);
    if (!byVersion) return event;
    let version = event.metadata.schemaVersion;
    let data = event.data as Record<string, unknown>;
    for (let step = byVersion.get(version); step; step = byVersion.get(version)) {
      data = step(data);
      version += 1;
    }
    if (version === event.metadata.schemaVersion) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
