import type { ReminderMessage } from '@app/messaging';

/** Hands one reminder to whatever sends the SMS or e-mail; throws when it did not take it. */
export type Delivery = (message: ReminderMessage) => Promise<void>;

/** A delivery that failed. `permanent`: trying again cannot help (the receiver refused it). */
export class DeliveryError extends Error {
  readonly code = 'NOTIFIER.DELIVERY_FAILED';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
