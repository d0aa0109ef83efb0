import { type ActingContext, commandMetadata } from '@app/auth';
import type { BatchResult, CommandHandler, CommandResult } from '@app/commanding';
import { cadenceOfPeriodKey, deadlinesOf, localDateOf, reportingPeriod, WorkingCalendar } from '@app/calendar';
import {
  type DirectiveService,
  type DirectiveState,
  directiveDecider,
  directiveStreamId,
  type EscalationTarget,
  type OpenReportingPeriod,
  type ReportingPeriodOpened,
  resolveSchedule,
} from '@app/directives';
import { WrongExpectedRevisionError } from '@app/eventstore';
import {
  type CommandMetadata,
  DomainError,
  type FieldError,
  IllegalStateError,
  isIsoDate,
  isIsoInstant,
  isPeriodKey,
  NotFoundError,
  PERIOD_KEY_HINT,
  systemActor,
  type TargetDefinition,
  ValidationError,
} from '@app/kernel';
import type { Access, UnitDirectory } from '@app/org';
import type { OpenObligation, ReportCommand, ReportRef } from '../domain/report.commands';
import { reportDecider } from '../domain/report.decider';
import type { Narrative, ReportValues, ReportWindow } from '../domain/report.events';
import { reportStreamId } from '../report.streams';

const REPORTERS = ['leader', 'officer'] as const;

type IssuedDirective = Extract<DirectiveState, { status: 'issued' }>;

/** The targets a unit reports on: those measured at its level or at every level; all when none is. */
export const targetsForLevel = (targets: readonly TargetDefinition[], level: string): TargetDefinition[] => {
  const own = targets.filter((t) => t.measuredAtLevel === level || t.measuredAtLevel === 'all');
  return own.length > 0 ? own : [...targets];
};

/** Reporting commands as the API calls them. The reviewer of a unit's report is its parent unit. */
export class ReportingService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    private readonly directives: DirectiveService,
    private readonly now: () => Date,
    private readonly calendar: WorkingCalendar = WorkingCalendar.vietnam(),
  ) {}

  private readonly openings = new Map<string, Promise<BatchResult>>();

  /**
   * Opens a reporting period of an issued directive on request: the issuer asks for an ad hoc
   * report (`2026-R1`, window and due given) or opens a scheduled period early (window and due
   * computed from the schedule when left out). The directive records the period with its follow-up
   * instants; then one obligation per current assignee opens in one batched append, the step the
   * period-opener saga takes for a period opened on schedule. Both steps are idempotent, so the
   * saga meeting this request again changes nothing.
   */
  async openPeriod(
    context: ActingContext,
    directiveId: string,
    input: { period: string; window?: ReportWindow; due?: string },
  ): Promise<BatchResult> {
    const directive = await this.issuedDirective(directiveId);
    this.access.requireActingFor(context.principal, directive.header.issuerUnitId, ['leader', 'officer', 'admin']);
    if (!isPeriodKey(input.period)) {
      throw new ValidationError('REPORT.INVALID', 'Invalid period', [{ field: 'period', message: PERIOD_KEY_HINT }]);
    }
    const opening = this.planPeriod(directive, input.period, input.window, input.due);
    return this.recordPeriod(commandMetadata(context, this.now()), { directiveId, ...opening, openedBy: 'request' });
  }

  /** The period-opener timer fired: records the period from the directive's current schedule and opens its obligations. */
  async openScheduledPeriod(directiveId: string, period: string): Promise<BatchResult | null> {
    const directive = await this.directives.state(directiveId);
    if (directive.status !== 'issued' || !directive.schedule) return null;
    const metadata = { commandId: `period:${directiveId}:${period}`, actor: systemActor('period-opener'), now: this.now() };
    return this.recordPeriod(metadata, { directiveId, ...this.planPeriod(directive, period), openedBy: 'schedule' });
  }

  /**
   * Records the period on the directive, then opens its obligations: the saga's step, taken at once
   * so the caller sees them. A period recorded before (by the schedule or an earlier request)
   * writes nothing: its obligations are the saga's to finish.
   */
  private async recordPeriod(metadata: CommandMetadata, data: OpenReportingPeriod['data']): Promise<BatchResult> {
    const recorded = await this.handler.handle(directiveDecider, directiveStreamId(data.directiveId), {
      type: 'OpenReportingPeriod',
      metadata,
      data,
    });
    const event = recorded.events[0];
    if (!event) return { streams: 0, events: 0, position: recorded.position, replayed: recorded.replayed };
    const opened = await this.openObligationsFor(event.data as ReportingPeriodOpened['data'], event.id, metadata.correlationId);
    return { ...opened, position: Math.max(opened.position, recorded.position) };
  }

  /**
   * The period-opener step: one obligation per current active assignee, with the period's
   * reminders and escalation steps resolved to units (parent, grandparent) as the tree stands now,
   * in one batched append whose command id derives from the period event. Repeating it (the saga
   * after a crash, or after the request that opened the period) writes nothing.
   */
  openObligationsFor(opened: ReportingPeriodOpened['data'], eventId: string, correlationId?: string): Promise<BatchResult> {
    // The request (or the timer) that opened the period and the saga meet here in one process: the
    // second waits for the first instead of racing it with 100,000 appends.
    const running = this.openings.get(eventId);
    if (running) return running;
    const opening = this.openObligations(opened, eventId, correlationId).finally(() => this.openings.delete(eventId));
    this.openings.set(eventId, opening);
    return opening;
  }

  private async openObligations(
    opened: ReportingPeriodOpened['data'],
    eventId: string,
    correlationId?: string,
  ): Promise<BatchResult> {
    await this.directory.refresh();
    const directive = await this.directives.state(opened.directiveId);
    if (directive.status !== 'issued') return { streams: 0, events: 0, position: 0, replayed: false };
    const metadata = {
      commandId: `obligations:${eventId}`,
      actor: systemActor('period-opener'),
      now: this.now(),
      causationId: eventId,
      ...(correlationId !== undefined && { correlationId }),
    };
    const approvalRequired = directive.schedule?.approvalRequired ?? true;
    const items = directive.assigneeUnitIds.flatMap((unitId) => {
      const unit = this.directory.get(unitId);
      if (!unit || unit.status !== 'active') return [];
      const ancestorUnitIds = this.directory.ancestors(unitId);
      const command: OpenObligation = {
        type: 'OpenObligation',
        metadata,
        data: {
          directiveId: opened.directiveId,
          unitId,
          period: opened.period,
          window: opened.window,
          due: opened.due,
          targets: targetsForLevel(directive.targets, unit.level),
          approvalRequired,
          reviewerUnitId: unit.parentId ?? directive.header.issuerUnitId,
          unitLevel: unit.level,
          ancestorUnitIds,
          followUps: {
            reminders: opened.deadlines.reminders.map(({ step, daysBefore, at }) => ({ step, daysBefore, at })),
            escalations: opened.deadlines.escalations.flatMap(({ step, to, at }) => {
              const toUnitId = ancestorUnitIds[to === 'parent' ? 0 : 1];
              return toUnitId ? [{ step, toUnitId, at }] : [];
            }),
          },
        },
      };
      return [{ streamId: reportStreamId(opened.directiveId, unitId, opened.period), command }];
    });
    try {
      return await this.handler.handleNewStreams(reportDecider, items);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Some obligations exist already: another process got there first (the same batch: answered as a
      // repeat), or they were opened apart from this period event. Open the missing ones only.
      const earlier = await this.handler.positionOfCommand(items[items.length - 1].streamId, metadata.commandId);
      if (earlier !== undefined) return { streams: items.length, events: 0, position: earlier, replayed: true };
      const missing = [];
      for (const item of items) if ((await this.handler.load(reportDecider, item.streamId)).revision < 0) missing.push(item);
      return this.handler.handleNewStreams(reportDecider, missing);
    }
  }

  /** A period's window, due instant and follow-up instants, from the schedule and the working calendar. */
  private planPeriod(
    directive: IssuedDirective,
    period: string,
    window?: ReportWindow,
    due?: string,
  ): Pick<ReportingPeriodOpened['data'], 'period' | 'window' | 'due' | 'deadlines'> {
    const schedule = directive.schedule ?? resolveSchedule({ cadence: 'on_request' });
    const cadence = cadenceOfPeriodKey(period);
    const problems: FieldError[] = [];
    if (window === undefined && cadence === null)
      problems.push({ field: 'window', message: 'is required for an ad hoc period (R keys)' });
    if (due === undefined && window === undefined && cadence === null)
      problems.push({ field: 'due', message: 'is required for an ad hoc period (R keys)' });
    if (window !== undefined && (!isIsoDate(window?.from) || !isIsoDate(window?.to)))
      problems.push({ field: 'window', message: 'must be {from, to} dates written yyyy-mm-dd' });
    else if (window !== undefined && window.from > window.to)
      problems.push({ field: 'window.to', message: 'must not be before window.from' });
    if (due !== undefined && !isIsoInstant(due))
      problems.push({ field: 'due', message: 'must be an ISO instant with its offset, e.g. 2026-07-20T23:59:59+07:00' });
    if (problems.length > 0) throw new ValidationError('REPORT.INVALID', 'Invalid period', problems);
    const theWindow = window ?? reportingPeriod(cadence!, period, schedule.cutOffDay).window;
    // An explicit due date anchors the follow-ups instead of the schedule's offset.
    const planned =
      due === undefined
        ? deadlinesOf(theWindow, schedule, this.calendar)
        : deadlinesOf({ from: theWindow.from, to: localDateOf(new Date(due)) }, { ...schedule, dueOffsetDays: 0 }, this.calendar);
    return {
      period,
      window: { from: theWindow.from, to: theWindow.to },
      due: due ?? planned.due.toISOString(),
      deadlines: {
        reminders: planned.reminders.map(({ step, daysBefore, at }) => ({ step, daysBefore, at: at.toISOString() })),
        escalations: planned.escalations.map(({ step, afterWorkingDays, to, at }) => ({
          step,
          afterWorkingDays,
          to: to as EscalationTarget,
          at: at.toISOString(),
        })),
      },
    };
  }

  private async issuedDirective(directiveId: string): Promise<IssuedDirective> {
    const directive = await this.directives.state(directiveId);
    if (directive.status === 'none')
      throw new NotFoundError('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
    if (directive.status !== 'issued') {
      throw new IllegalStateError(
        'DIRECTIVE.NOT_ISSUED',
        `Directive ${directiveId} is ${directive.status}; periods open only while it is issued`,
      );
    }
    return directive;
  }

  private async run(context: ActingContext, command: Omit<ReportCommand, 'metadata'>): Promise<CommandResult> {
    const full = { ...command, metadata: commandMetadata(context, this.now()) } as ReportCommand;
    const { directiveId, unitId, period } = full.data;
    try {
      return await this.handler.handle(reportDecider, reportStreamId(directiveId, unitId, period), full, {
        expectedRevision: context.expectedRevision,
      });
    } catch (error) {
      // "No obligation" for a directive that does not exist at all is an unknown id: 404, not 409.
      if (
        error instanceof DomainError &&
        error.code === 'REPORT.NOT_OPEN' &&
        (await this.directives.state(directiveId)).status === 'none'
      ) {
        throw new NotFoundError('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
      }
      throw error;
    }
  }

  // Neither check needs the unit tree: the obligation names its unit and its reviewer, and the
  // decider compares them with the actor, so no directory refresh on this hot path.
  private async asReporter(context: ActingContext, unitId: string): Promise<void> {
    this.access.requireActingFor(context.principal, unitId, REPORTERS);
  }

  private async asReviewer(context: ActingContext): Promise<void> {
    this.access.requireRole(context.principal, ['leader']);
  }

  async submit(
    context: ActingContext,
    ref: ReportRef,
    input: { values: ReportValues; narrative: Narrative },
  ): Promise<CommandResult> {
    await this.asReporter(context, ref.unitId);
    return this.run(context, { type: 'SubmitReport', data: { ...ref, ...input } });
  }

  async correct(
    context: ActingContext,
    ref: ReportRef,
    input: { values: ReportValues; narrative?: Narrative; reason: string },
  ): Promise<CommandResult> {
    await this.asReporter(context, ref.unitId);
    return this.run(context, { type: 'CorrectReport', data: { ...ref, ...input } });
  }

  async return(context: ActingContext, ref: ReportRef, input: { reason: string; version?: number }): Promise<CommandResult> {
    await this.asReviewer(context);
    return this.run(context, { type: 'ReturnReport', data: { ...ref, ...input } });
  }

  async approve(context: ActingContext, ref: ReportRef, input: { version?: number }): Promise<CommandResult> {
    await this.asReviewer(context);
    return this.run(context, { type: 'ApproveReport', data: { ...ref, ...input } });
  }

  async waive(context: ActingContext, ref: ReportRef, input: { reason: string }): Promise<CommandResult> {
    await this.asReviewer(context);
    return this.run(context, { type: 'WaiveObligation', data: { ...ref, ...input } });
  }
}
