import { type ActingContext, commandMetadata } from '@app/auth';
import type { BatchResult, CommandHandler, CommandResult } from '@app/commanding';
import type { DirectiveService } from '@app/directives';
import { DomainError, IllegalStateError, NotFoundError, type TargetDefinition, ValidationError } from '@app/kernel';
import type { Access, UnitDirectory } from '@app/org';
import { isPeriodKey } from '../domain/period-key';
import type { OpenObligation, ReportCommand, ReportRef } from '../domain/report.commands';
import { reportDecider } from '../domain/report.decider';
import type { Narrative, ReportValues, ReportWindow } from '../domain/report.events';
import { reportStreamId } from '../report.streams';

const REPORTERS = ['leader', 'officer'] as const;

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
  ) {}

  /**
   * Opens a reporting period of an issued directive: one obligation per current assignee, in one
   * batched append. The deadlines saga calls the same path on schedule; the issuer calls it for an
   * on-request (ad hoc) report.
   */
  async openPeriod(
    context: ActingContext,
    directiveId: string,
    input: { period: string; window: ReportWindow; due: string },
  ): Promise<BatchResult> {
    await this.directory.refresh();
    const directive = await this.directives.state(directiveId);
    if (directive.status === 'none')
      throw new NotFoundError('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
    this.access.requireActingFor(context.principal, directive.header.issuerUnitId, ['leader', 'officer', 'admin']);
    if (directive.status !== 'issued') {
      throw new IllegalStateError(
        'DIRECTIVE.NOT_ISSUED',
        `Directive ${directiveId} is ${directive.status}; periods open only while it is issued`,
      );
    }
    if (!isPeriodKey(input.period)) {
      throw new ValidationError('REPORT.INVALID', 'Invalid period', [
        { field: 'period', message: 'must look like 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1' },
      ]);
    }
    const metadata = commandMetadata(context, this.now());
    const approvalRequired = directive.schedule?.approvalRequired ?? true;
    const items = directive.assigneeUnitIds.flatMap((unitId) => {
      const unit = this.directory.get(unitId);
      if (!unit || unit.status !== 'active') return [];
      const command: OpenObligation = {
        type: 'OpenObligation',
        metadata,
        data: {
          directiveId,
          unitId,
          period: input.period,
          window: input.window,
          due: input.due,
          targets: targetsForLevel(directive.targets, unit.level),
          approvalRequired,
          reviewerUnitId: unit.parentId ?? directive.header.issuerUnitId,
          unitLevel: unit.level,
          ancestorUnitIds: this.directory.ancestors(unitId),
        },
      };
      return [{ streamId: reportStreamId(directiveId, unitId, input.period), command }];
    });
    return this.handler.handleNewStreams(reportDecider, items);
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
