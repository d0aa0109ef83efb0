import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { instantAt, localDateOf } from '@app/calendar';
import { AppConfig } from '@app/config';
import { type OutboundMessage, REMINDER_SCHEMA, type ReminderMessage } from '@app/messaging';
import { CLOCK, type Clock, LOGGER, READ_STORE } from '@app/platform';
import type { ReadStore } from '@app/readstore';
import { remindersTopic } from '@app/relay';
import { type DirectiveHead, digestRecipients, unitDigest } from '@app/reporting';
import { RelayService } from './relay.service';
import { SubscriptionHost } from './subscription-host';

export const DIGEST_RUNS_TABLE = 'ops_digest_runs';
/** Only the process holding this lease sends the digest. */
export const DIGEST_LEASE = 'digest';
const BATCH = 500;

export type DigestRun = Readonly<{ day: string; sent: number; recipients: number; finished: boolean }>;

/**
 * The daily digest: each unit with reports awaited in its subtree gets one message on the reminders
 * topic summarising what is due soon, overdue and escalated below it, instead of one per report.
 * Runs once a day from DIGEST_HOUR (Vietnam time), only with the relay on. Progress is kept per day
 * in the read store, so a restart resumes after the last unit sent; message ids are
 * `digest:<unit>:<day>`, so a consumer that deduplicates sees each digest once. With several
 * workers, only the holder of the `digest` lease sends it.
 */
@Injectable()
export class DigestService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DigestRun | undefined> | undefined;
  private prepared = false;

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly relay: RelayService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly host: SubscriptionHost,
  ) {}

  onModuleInit(): void {
    if (this.relay.enabled && this.config.SCHEDULER === 'on') this.host.registerLease(DIGEST_LEASE);
  }

  onApplicationBootstrap(): void {
    if (!this.relay.enabled || this.config.SCHEDULER === 'off') return;
    this.timer = setInterval(() => void this.runIfDue().catch((err) => this.logger.error({ err }, 'digest failed')), 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs today's digest when its hour has come and it has not finished yet. */
  runIfDue(): Promise<DigestRun | undefined> {
    const now = this.clock.now();
    const day = localDateOf(now);
    if (now < instantAt(day, this.config.DIGEST_HOUR) || !this.host.holds(DIGEST_LEASE)) return Promise.resolve(undefined);
    this.running ??= this.run(day, now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async prepare(): Promise<void> {
    if (this.prepared) return;
    await this.store.transaction((trx) =>
      trx.schema
        .createTable(DIGEST_RUNS_TABLE)
        .ifNotExists()
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('last_unit_id', 'text', (c) => c.notNull())
        .addColumn('sent', 'integer', (c) => c.notNull())
        .addColumn('recipients', 'integer', (c) => c.notNull())
        .addColumn('finished', 'integer', (c) => c.notNull())
        .execute(),
    );
    this.prepared = true;
  }

  /** The digest of one day: resumes where a previous attempt stopped; a finished day sends nothing. */
  async run(day: string, now: Date): Promise<DigestRun> {
    const publisher = this.relay.messagePublisher;
    if (!publisher) throw new Error('the digest needs the relay (KAFKA_BROKERS)');
    await this.prepare();
    const db = this.store.db;
    const found = (await db.selectFrom(DIGEST_RUNS_TABLE).selectAll().where('day', '=', day).executeTakeFirst()) as
      { last_unit_id: string; sent: number; recipients: number; finished: number } | undefined;
    if (found?.finished) return { day, sent: Number(found.sent), recipients: Number(found.recipients), finished: true };
    let after = found?.last_unit_id ?? '';
    let sent = Number(found?.sent ?? 0);
    let recipients = Number(found?.recipients ?? 0);
    const lookups = this.relay.lookups;
    await lookups?.refresh();
    const heads = new Map<string, DirectiveHead>();
    for (;;) {
      const units = await digestRecipients(db, after, BATCH);
      if (units.length === 0) break;
      const messages: OutboundMessage[] = [];
      for (const unitId of units) {
        const digest = await unitDigest(db, unitId, now, undefined, heads);
        recipients++;
        if (digest.items.length === 0) continue;
        const unit = lookups?.unit(unitId);
        const message: ReminderMessage = {
          schema: REMINDER_SCHEMA,
          messageId: `digest:${unitId}:${day}`,
          kind: 'digest',
          occurredAt: now.toISOString(),
          recipient: { unitId, unitName: unit?.name ?? unitId, officers: [...(unit?.officers ?? [])] },
          summary: {
            dueSoon: digest.totals.dueSoon,
            overdue: digest.totals.overdue,
            escalated: digest.totals.escalated,
            items: digest.items.map((i) => ({
              directiveId: i.directiveId,
              number: i.number,
              period: i.period,
              unitId,
              unitName: unit?.name ?? unitId,
              due: i.due ?? '',
              status: i.overdue > 0 ? 'overdue' : 'due_soon',
            })),
          },
          link: `${this.config.publicUrl}/app/#/units/${encodeURIComponent(unitId)}`,
        };
        messages.push({
          topic: remindersTopic(this.config.KAFKA_TOPIC_PREFIX),
          key: unitId,
          value: JSON.stringify(message),
          headers: { 'event-id': message.messageId, 'message-kind': 'digest', 'schema-version': '1' },
        });
      }
      await publisher.publish(messages);
      sent += messages.length;
      after = units[units.length - 1];
      await this.store.transaction((trx) =>
        trx
          .insertInto(DIGEST_RUNS_TABLE)
          .values({ day, last_unit_id: after, sent, recipients, finished: 0 })
          .onConflict((oc) => oc.column('day').doUpdateSet({ last_unit_id: after, sent, recipients }))
          .execute(),
      );
    }
    await this.store.transaction((trx) =>
      trx
        .insertInto(DIGEST_RUNS_TABLE)
        .values({ day, last_unit_id: after, sent, recipients, finished: 1 })
        .onConflict((oc) => oc.column('day').doUpdateSet({ finished: 1, sent, recipients }))
        .execute(),
    );
    this.logger.info({ day, sent, recipients }, 'daily digest sent');
    return { day, sent, recipients, finished: true };
  }
}
