import { type ActingContext, commandMetadata } from '@app/auth';
import type { CommandHandler, CommandResult } from '@app/commanding';
import { NotFoundError, ValidationError, type TargetDefinition } from '@app/kernel';
import type { Access, UnitDirectory } from '@app/org';
import { assignmentDecider } from '../domain/assignment.decider';
import type { AssignmentCommand } from '../domain/assignment.commands';
import type { AmendDirective, DirectiveCommand, DraftDirectiveData, ReportingScheduleInput } from '../domain/directive.commands';
import { directiveDecider, type DirectiveState } from '../domain/directive.decider';
import type { AssigneeScope, Task } from '../domain/directive.events';
import { assignmentsFor } from '../domain/fan-out';
import { type DirectiveFileFormat, importDirectiveFile } from '../directive-file';
import { assignmentStreamId, directiveStreamId } from '../directive.streams';

const WRITERS = ['leader', 'officer', 'admin'] as const;

/** Directive and assignment commands as the API calls them: authorize, look up, decide, append. */
export class DirectiveService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    private readonly now: () => Date,
  ) {}

  async state(directiveId: string): Promise<DirectiveState> {
    return (await this.handler.load(directiveDecider, directiveStreamId(directiveId))).state;
  }

  private async existing(directiveId: string): Promise<Exclude<DirectiveState, { status: 'none' }>> {
    const state = await this.state(directiveId);
    if (state.status === 'none')
      throw new NotFoundError('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
    return state;
  }

  private run(context: ActingContext, command: Omit<DirectiveCommand, 'metadata'>, options = {}): Promise<CommandResult> {
    const full = { ...command, metadata: commandMetadata(context, this.now()) } as DirectiveCommand;
    return this.handler.handle(directiveDecider, directiveStreamId(full.data.directiveId), full, {
      expectedRevision: context.expectedRevision,
      ...options,
    });
  }

  /** Only the issuing unit edits its directive. */
  private async requireIssuer(
    context: ActingContext,
    directiveId: string,
    roles: readonly ('leader' | 'officer' | 'admin')[] = WRITERS,
  ) {
    await this.directory.refresh();
    const state = await this.existing(directiveId);
    this.access.requireActingFor(context.principal, state.header.issuerUnitId, roles);
    return state;
  }

  private async basisTargets(
    basisDirectiveId: string | null,
  ): Promise<{ directiveId: string; targets: readonly TargetDefinition[] } | undefined> {
    if (!basisDirectiveId) return undefined;
    const basis = await this.state(basisDirectiveId);
    if (basis.status === 'none') return undefined;
    return { directiveId: basisDirectiveId, targets: basis.status === 'closed' ? [] : basis.targets };
  }

  async draft(context: ActingContext, data: DraftDirectiveData & { inheritBasisTargets?: boolean }): Promise<CommandResult> {
    await this.directory.refresh();
    this.access.requireUnit(data.issuerUnitId);
    this.access.requireActingFor(context.principal, data.issuerUnitId, WRITERS);
    const { inheritBasisTargets, ...rest } = data;
    if (rest.basisDirectiveId) await this.existing(rest.basisDirectiveId);
    const inheritTargets = inheritBasisTargets ? await this.basisTargets(rest.basisDirectiveId) : undefined;
    return this.run(context, { type: 'DraftDirective', data: { ...rest, ...(inheritTargets ? { inheritTargets } : {}) } });
  }

  /** Drafts a directive from a JSON or YAML file (at most 1 MiB). */
  async importFile(
    context: ActingContext,
    content: string,
    format: DirectiveFileFormat,
    ids: { directiveId: string; issuerUnitId?: string },
  ): Promise<CommandResult> {
    const imported = importDirectiveFile(content, format, ids);
    return this.draft(context, { ...imported.data, inheritBasisTargets: imported.inheritTargetsFromBasis });
  }

  async addTarget(context: ActingContext, directiveId: string, target: TargetDefinition): Promise<CommandResult> {
    await this.requireIssuer(context, directiveId);
    return this.run(context, { type: 'AddTarget', data: { directiveId, target } });
  }

  async addTask(context: ActingContext, directiveId: string, task: Task): Promise<CommandResult> {
    await this.requireIssuer(context, directiveId);
    return this.run(context, { type: 'AddTask', data: { directiveId, task } });
  }

  async setSchedule(context: ActingContext, directiveId: string, schedule: ReportingScheduleInput): Promise<CommandResult> {
    await this.requireIssuer(context, directiveId);
    return this.run(context, { type: 'SetReportingSchedule', data: { directiveId, schedule } });
  }

  /**
   * Issues to a list of units or to a scope ("every commune under U"), resolved now. The directive's
   * DirectiveIssued and one DirectiveAssigned per assignee are appended together, in one call.
   */
  async issue(
    context: ActingContext,
    directiveId: string,
    input: { signedBy: string; assigneeUnitIds?: readonly string[]; scope?: AssigneeScope },
  ): Promise<CommandResult & { assignees: number }> {
    const state = await this.requireIssuer(context, directiveId, ['leader', 'admin']);
    if (!input.assigneeUnitIds === !input.scope) {
      throw new ValidationError('DIRECTIVE.INVALID', 'Give either assigneeUnitIds or scope', [
        { field: 'assigneeUnitIds', message: 'give either assigneeUnitIds or scope, not both and not neither' },
      ]);
    }
    let assignees = input.assigneeUnitIds ?? [];
    if (input.scope) {
      // Units outside the issuer's subtree are refused by the decider, from the ancestry below.
      this.access.requireUnit(input.scope.underUnitId);
      assignees = this.directory.activeDescendantsAtLevel(input.scope.underUnitId, input.scope.level);
    }
    const assigneeAncestry: Record<string, readonly string[]> = {};
    for (const unitId of assignees) {
      if (this.directory.get(unitId)) assigneeAncestry[unitId] = this.directory.ancestors(unitId);
    }
    const at = this.now().toISOString();
    const result = await this.run(
      context,
      {
        type: 'IssueDirective',
        data: { directiveId, signedBy: input.signedBy, assigneeUnitIds: assignees, scope: input.scope, assigneeAncestry },
      },
      {
        alongside: () =>
          assignmentsFor(directiveId, state.header.issuerUnitId, assignees, at).map(({ unitId, event }) => ({
            streamId: assignmentStreamId(directiveId, unitId),
            events: [event],
            expectedRevision: 'no_stream' as const,
          })),
      },
    );
    return { ...result, assignees: assignees.length };
  }

  async amend(
    context: ActingContext,
    directiveId: string,
    input: { changes: AmendDirective['data']['changes']; reason: string },
  ): Promise<CommandResult> {
    const state = await this.requireIssuer(context, directiveId, ['leader', 'admin']);
    const basisTargets = await this.basisTargets(state.header.basisDirectiveId);
    return this.run(context, {
      type: 'AmendDirective',
      data: { directiveId, ...input, ...(basisTargets ? { basisTargets } : {}) },
    });
  }

  async close(context: ActingContext, directiveId: string, reason?: string): Promise<CommandResult> {
    await this.requireIssuer(context, directiveId, ['leader', 'admin']);
    return this.run(context, { type: 'CloseDirective', data: { directiveId, ...(reason ? { reason } : {}) } });
  }

  private async runAssignment(context: ActingContext, command: Omit<AssignmentCommand, 'metadata'>): Promise<CommandResult> {
    const full = { ...command, metadata: commandMetadata(context, this.now()) } as AssignmentCommand;
    const streamId = assignmentStreamId(full.data.directiveId, full.data.unitId);
    return this.handler.handle(assignmentDecider, streamId, full, { expectedRevision: context.expectedRevision });
  }

  /** The assignee acknowledges receipt (tiếp nhận). */
  async acknowledge(context: ActingContext, directiveId: string, unitId: string): Promise<CommandResult> {
    await this.directory.refresh();
    this.access.requireActingFor(context.principal, unitId, WRITERS);
    return this.runAssignment(context, { type: 'AcknowledgeAssignment', data: { directiveId, unitId } });
  }

  /** Links the assignee's own implementing directive, which must be drafted by it with this directive as its basis. */
  async recordImplementing(
    context: ActingContext,
    directiveId: string,
    unitId: string,
    childDirectiveId: string,
  ): Promise<CommandResult> {
    await this.directory.refresh();
    this.access.requireActingFor(context.principal, unitId, WRITERS);
    const child = await this.existing(childDirectiveId);
    if (child.header.basisDirectiveId !== directiveId || child.header.issuerUnitId !== unitId) {
      throw new ValidationError(
        'ASSIGNMENT.NOT_AN_IMPLEMENTING_DIRECTIVE',
        `Directive ${childDirectiveId} is not ${unitId}'s plan for ${directiveId}`,
        [{ field: 'childDirectiveId', message: `must be a directive issued by ${unitId} with basis ${directiveId}` }],
      );
    }
    return this.runAssignment(context, { type: 'RecordImplementingDirective', data: { directiveId, unitId, childDirectiveId } });
  }

  async complete(context: ActingContext, directiveId: string, unitId: string): Promise<CommandResult> {
    await this.directory.refresh();
    this.access.requireActingFor(context.principal, unitId, WRITERS);
    return this.runAssignment(context, { type: 'CompleteAssignment', data: { directiveId, unitId } });
  }
}
