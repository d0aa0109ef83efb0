import type { EventStore, RecordedEvent } from '@app/eventstore';
import type { UnitSummary, UnitStatus } from '../domain/unit.commands';
import type { OfficerRole, UnitEvent } from '../domain/unit.events';
import { UNIT_STREAM_CATEGORY } from '../unit.streams';

export type OfficerEntry = Readonly<{ role: OfficerRole; department?: string }>;

export type UnitEntry = {
  unitId: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  status: UnitStatus;
  officers: Map<string, OfficerEntry>;
};

/**
 * The look-up model the write side decides with: every unit, its parent and children, its
 * officers. It is derived from the `unit` events and brought up to date from the store before
 * each use (`refresh`), so a command always sees the units written before it, in any process.
 * 100,000 units take about 30 MB.
 */
export class UnitDirectory {
  private readonly units = new Map<string, UnitEntry>();
  private readonly children = new Map<string, Set<string>>();
  private readonly codes = new Map<string, string>();
  private position = 0;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  /** Reads the unit events appended since the last refresh. Concurrent callers share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.catchUp().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({
        after: this.position,
        maxCount: 5000,
        filter: { categories: [UNIT_STREAM_CATEGORY] },
      });
      if (batch.length === 0) return;
      for (const event of batch) this.apply(event);
      this.position = batch[batch.length - 1].position;
    }
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as UnitEvent;
    const unitId = recorded.streamId.slice(UNIT_STREAM_CATEGORY.length + 1);
    const unit = this.units.get(unitId);
    switch (event.type) {
      case 'UnitRegistered': {
        const { code, name, level, parentId } = event.data;
        this.units.set(unitId, { unitId, code, name, level, parentId, status: 'active', officers: new Map() });
        this.codes.set(code, unitId);
        if (parentId) this.childrenOf(parentId).add(unitId);
        return;
      }
      case 'UnitRenamed':
        if (unit) unit.name = event.data.name;
        return;
      case 'UnitMoved':
        if (!unit) return;
        if (unit.parentId) this.children.get(unit.parentId)?.delete(unitId);
        unit.parentId = event.data.toParentId;
        this.childrenOf(event.data.toParentId).add(unitId);
        return;
      case 'UnitMerged':
        if (unit) unit.status = 'merged';
        return;
      case 'UnitDissolved':
        if (unit) unit.status = 'dissolved';
        return;
      case 'OfficerAppointed':
        unit?.officers.set(event.data.userId, { role: event.data.role, department: event.data.department });
        return;
      case 'OfficerRelieved':
        unit?.officers.delete(event.data.userId);
        return;
      default:
        return;
    }
  }

  private childrenOf(unitId: string): Set<string> {
    let set = this.children.get(unitId);
    if (!set) this.children.set(unitId, (set = new Set()));
    return set;
  }

  get size(): number {
    return this.units.size;
  }

  get(unitId: string): Readonly<UnitEntry> | undefined {
    return this.units.get(unitId);
  }

  summary(unitId: string | null | undefined): UnitSummary | null {
    const unit = unitId ? this.units.get(unitId) : undefined;
    return unit ? { unitId: unit.unitId, level: unit.level, status: unit.status } : null;
  }

  unitIdByCode(code: string): string | undefined {
    return this.codes.get(code);
  }

  /** Nearest first: parent, grandparent, … up to the root. */
  ancestors(unitId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([unitId]);
    for (let parent = this.units.get(unitId)?.parentId; parent && !seen.has(parent); parent = this.units.get(parent)?.parentId) {
      out.push(parent);
      seen.add(parent);
    }
    return out;
  }

  /** True when `unitId` is `rootId` or below it. */
  isWithin(unitId: string, rootId: string): boolean {
    return unitId === rootId || this.ancestors(unitId).includes(rootId);
  }

  childIds(unitId: string): string[] {
    return [...(this.children.get(unitId) ?? [])];
  }

  /** Active units of a level anywhere below `rootId` (breadth first). */
  activeDescendantsAtLevel(rootId: string, level: string): string[] {
    const out: string[] = [];
    const queue = [rootId];
    for (let i = 0; i < queue.length; i++) {
      for (const child of this.children.get(queue[i]) ?? []) {
        const unit = this.units.get(child);
        if (!unit || unit.status !== 'active') continue;
        if (unit.level === level) out.push(child);
        queue.push(child);
      }
    }
    return out;
  }
}
