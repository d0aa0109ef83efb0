import { ValidationError } from '@app/kernel';
import type { EventStore } from '@app/eventstore';
import type { Projection, Projector } from '@app/readstore';

export const MAX_WAIT_MS = 5000;

/**
 * Reads after writes: a command answers with the global position it wrote at; a query may pass it
 * as `minPosition` and is answered once the projections it reads have processed every event of
 * theirs up to that position, or after a short bound. A projection whose filter matches nothing in
 * between counts as caught up, since it has nothing to do.
 */
export class Consistency {
  constructor(
    private readonly projector: Projector,
    private readonly events: EventStore,
  ) {}

  async caughtUp(projection: Projection, minPosition: number): Promise<boolean> {
    const checkpoint = await this.projector.checkpoint(this.projector.store.db, projection.name);
    if (checkpoint >= minPosition) return true;
    const [next] = await this.events.readAll({ after: checkpoint, maxCount: 1, filter: projection.filter });
    return next === undefined || next.position > minPosition;
  }

  /** Resolves to true when caught up, false when the bound ran out (the caller answers with what it has). */
  async waitFor(projections: readonly Projection[], minPosition: number | undefined, timeoutMs = 2000): Promise<boolean> {
    if (minPosition === undefined) return true;
    if (!Number.isSafeInteger(minPosition) || minPosition < 0) {
      throw new ValidationError('QUERY.BAD_MIN_POSITION', 'minPosition must be a whole number ≥ 0', [
        { field: 'minPosition', message: 'must be a whole number ≥ 0' },
      ]);
    }
    const deadline = Date.now() + Math.min(timeoutMs, MAX_WAIT_MS);
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const states = await Promise.all(projections.map((p) => this.caughtUp(p, minPosition)));
      if (states.every(Boolean)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
