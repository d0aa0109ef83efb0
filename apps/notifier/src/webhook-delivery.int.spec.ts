import { createServer } from 'node:net';
import { DeliveryError } from './delivery';
import { aReminder } from './testing/reminders';
import { startWebhookServer, type WebhookAnswer, type WebhookServer } from './testing/webhook-server';
import { webhookDelivery } from './webhook-delivery';

describe('webhookDelivery against a real HTTP server', () => {
  let server: WebhookServer;
  let answer: WebhookAnswer = 200;
  beforeAll(async () => (server = await startWebhookServer(() => answer)));
  afterAll(() => server.close());

  const outcome = async (timeoutMs = 5_000): Promise<'delivered' | 'retryable' | 'permanent'> => {
    try {
      await webhookDelivery({ url: server.url, timeoutMs })(aReminder('m-1'));
      return 'delivered';
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      return error.permanent ? 'permanent' : 'retryable';
    }
  };

  it('POSTs the reminder as JSON with its message id as the Idempotency-Key', async () => {
    answer = 200;
    await expect(outcome()).resolves.toBe('delivered');
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe('m-1');
    expect(JSON.parse(request.body)).toEqual(aReminder('m-1'));
  });

  it.each([
    [201, 'delivered'],
    [204, 'delivered'],
    [400, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [302, 'retryable'],
  ])('treats an answer of %i as %s', async (status, expected) => {
    answer = status;
    await expect(outcome()).resolves.toBe(expected);
  });

  it('gives up on a receiver that does not answer in time, as a failure worth retrying', async () => {
    answer = 'hang';
    await expect(
      webhookDelivery({ url: server.url, timeoutMs: 200 })(aReminder('m-2')).catch((error: DeliveryError) => [
        error.permanent,
        error.message,
      ]),
    ).resolves.toEqual([false, 'webhook request failed: no answer within 200 ms']);
  });

  it('treats a refused connection as a failure worth retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const failure = await webhookDelivery({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 })(aReminder('m-3')).catch(
      (error: DeliveryError) => error,
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ permanent: false, message: 'webhook request failed: ECONNREFUSED' });
  });
});
