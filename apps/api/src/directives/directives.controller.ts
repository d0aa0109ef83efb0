import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type ActingContext } from '@app/auth';
import { DirectiveService } from '@app/directives';
import { ReportingService } from '@app/reporting';
import { batchResponse, commandResponse } from '../commands/command-response';
import { Cmd } from '../http/command-metadata';
import {
  AmendDirectiveDto,
  CloseDirectiveDto,
  DraftDirectiveDto,
  ImportDirectiveDto,
  IssueDirectiveDto,
  OpenPeriodDto,
  RecordImplementingDto,
  ScheduleDto,
  TargetDto,
  TaskDto,
} from './directives.dto';
import { AssignmentParams, DirectiveIdParam } from './directives.params';

@ApiTags('directives')
@ApiBearerAuth()
@Controller('directives')
export class DirectivesController {
  constructor(
    private readonly directives: DirectiveService,
    private readonly reporting: ReportingService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Draft a directive, with its targets, tasks and schedule (an officer, leader or admin of the issuer)',
  })
  async draft(@Cmd() c: ActingContext, @Body() body: DraftDirectiveDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply.status(201), await this.directives.draft(c, body), { directiveId: body.directiveId });
  }

  @Post('import')
  @ApiOperation({ summary: 'Draft a directive from a JSON or YAML file (at most 1 MiB), sent as text in a JSON body' })
  async import(@Cmd() c: ActingContext, @Body() body: ImportDirectiveDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const ids = { directiveId: body.directiveId, issuerUnitId: body.issuerUnitId ?? c.principal.unitId };
    return commandResponse(reply.status(201), await this.directives.importFile(c, body.content, body.format, ids), {
      directiveId: body.directiveId,
    });
  }

  @HttpCode(200)
  @Post(':directiveId/targets')
  @ApiOperation({ summary: 'Add a target to a draft' })
  async addTarget(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: TargetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.addTarget(c, p.directiveId, body));
  }

  @HttpCode(200)
  @Post(':directiveId/tasks')
  @ApiOperation({ summary: 'Add a task to a draft' })
  async addTask(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: TaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.addTask(c, p.directiveId, body));
  }

  @HttpCode(200)
  @Post(':directiveId/schedule')
  @ApiOperation({ summary: "Set a draft's reporting schedule (fields left out take the defaults)" })
  async setSchedule(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: ScheduleDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.setSchedule(c, p.directiveId, body));
  }

  @HttpCode(200)
  @Post(':directiveId/issue')
  @ApiOperation({ summary: 'Issue a draft to a list of units or to a level scope (a leader or admin of the issuer)' })
  async issue(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: IssueDirectiveDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { assignees, ...result } = await this.directives.issue(c, p.directiveId, body);
    return commandResponse(reply, result, { assignees });
  }

  @HttpCode(200)
  @Post(':directiveId/amend')
  @ApiOperation({ summary: 'Amend an issued directive (a leader or admin of the issuer)' })
  async amend(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: AmendDirectiveDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.amend(c, p.directiveId, body));
  }

  @HttpCode(200)
  @Post(':directiveId/close')
  @ApiOperation({ summary: 'Close a directive, or withdraw a draft (a leader or admin of the issuer)' })
  async close(
    @Cmd() c: ActingContext,
    @Param() p: DirectiveIdParam,
    @Body() body: CloseDirectiveDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.close(c, p.directiveId, body.reason));
  }

  @HttpCode(201)
  @Post(':directiveId/periods')
  @ApiOperation({ summary: 'Open a reporting period: one obligation per current assignee (the issuer)' })
  async openPeriod(@Cmd() c: ActingContext, @Param() p: DirectiveIdParam, @Body() body: OpenPeriodDto) {
    return batchResponse(await this.reporting.openPeriod(c, p.directiveId, body));
  }

  @HttpCode(200)
  @Post(':directiveId/assignments/:unitId/acknowledge')
  @ApiOperation({ summary: 'Acknowledge receipt of an assignment (the assignee unit)' })
  async acknowledge(@Cmd() c: ActingContext, @Param() p: AssignmentParams, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply, await this.directives.acknowledge(c, p.directiveId, p.unitId));
  }

  @HttpCode(200)
  @Post(':directiveId/assignments/:unitId/implementing')
  @ApiOperation({ summary: "Link the assignee's implementing directive (the assignee unit)" })
  async recordImplementing(
    @Cmd() c: ActingContext,
    @Param() p: AssignmentParams,
    @Body() body: RecordImplementingDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.directives.recordImplementing(c, p.directiveId, p.unitId, body.childDirectiveId));
  }

  @HttpCode(200)
  @Post(':directiveId/assignments/:unitId/complete')
  @ApiOperation({ summary: 'Mark an assignment completed (the assignee unit)' })
  async complete(@Cmd() c: ActingContext, @Param() p: AssignmentParams, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply, await this.directives.complete(c, p.directiveId, p.unitId));
  }
}
