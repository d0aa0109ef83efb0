import { InMemoryEventStore } from '../in-memory/in-memory-event-store';
import { CheckpointedSubscription } from './checkpointed-subscription';

describe('CheckpointedSubscription', () => {
  it('stops even when stop() arrives while the checkpoint is still loading (no feed to close yet)', async () => {
    const store = new InMemoryEventStore();
    let release: (position: number) => void = () => undefined;
    const subscription = new CheckpointedSubscription({
      name: 'slow',
      store,
      checkpoints: { load: () => new Promise<number>((resolve) => (release = resolve)), store: async () => undefined },
      filter: { categories: ['nothing'] },
      handle: async () => undefined,
    });
    subscription.start();
    const stopped = subscription.stop();
    release(0);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise((r) => (timer = setTimeout(() => r('hung'), 2000)));
    const outcome = await Promise.race([stopped.then(() => 'stopped'), hung]);
    clearTimeout(timer);
    expect(outcome).toBe('stopped');
    expect(subscription.status).toBe('stopped');
  });
});
