import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type ActingContext } from '@app/auth';
import { ReportingService } from '@app/reporting';
import { commandResponse } from '../commands/command-response';
import { Cmd } from '../http/command-metadata';
import {
  ApproveReportDto,
  CorrectReportDto,
  ReportParams,
  ReturnReportDto,
  SubmitReportDto,
  WaiveObligationDto,
} from './reports.dto';

/** One reporting obligation: `report-<directiveId>_<unitId>_<period>`. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/:directiveId/:unitId/:period')
export class ReportsController {
  constructor(private readonly reporting: ReportingService) {}

  @HttpCode(200)
  @Post('submit')
  @ApiOperation({
    summary: "Submit the unit's report: a value for every target, and the narrative (an officer or leader of the unit)",
  })
  async submit(
    @Cmd() c: ActingContext,
    @Param() ref: ReportParams,
    @Body() body: SubmitReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.reporting.submit(c, refOf(ref), body));
  }

  @HttpCode(200)
  @Post('correct')
  @ApiOperation({ summary: 'Correct an approved report with a new version (an officer or leader of the unit)' })
  async correct(
    @Cmd() c: ActingContext,
    @Param() ref: ReportParams,
    @Body() body: CorrectReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.reporting.correct(c, refOf(ref), body));
  }

  @HttpCode(200)
  @Post('return')
  @ApiOperation({ summary: 'Return a submitted report for rework (a leader of the reviewer unit, the parent)' })
  async return(
    @Cmd() c: ActingContext,
    @Param() ref: ReportParams,
    @Body() body: ReturnReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.reporting.return(c, refOf(ref), body));
  }

  @HttpCode(200)
  @Post('approve')
  @ApiOperation({ summary: 'Approve a submitted report (a leader of the reviewer unit, the parent)' })
  async approve(
    @Cmd() c: ActingContext,
    @Param() ref: ReportParams,
    @Body() body: ApproveReportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.reporting.approve(c, refOf(ref), body));
  }

  @HttpCode(200)
  @Post('waive')
  @ApiOperation({ summary: 'Waive an obligation not yet submitted (a leader of the reviewer unit, the parent)' })
  async waive(
    @Cmd() c: ActingContext,
    @Param() ref: ReportParams,
    @Body() body: WaiveObligationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.reporting.waive(c, refOf(ref), body));
  }
}

const refOf = ({ directiveId, unitId, period }: ReportParams) => ({ directiveId, unitId, period });
