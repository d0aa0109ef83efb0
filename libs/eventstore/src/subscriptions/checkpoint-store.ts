/** Where a subscriber keeps the position of the last event it processed. 0 means "nothing yet". */
export interface CheckpointStore {
  load(name: string): Promise<number>;
  store(name: string, position: number): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  readonly positions = new Map<string, number>();

  async load(name: string): Promise<number> {
    return this.positions.get(name) ?? 0;
  }

  async store(name: string, position: number): Promise<void> {
    this.positions.set(name, position);
  }
}
