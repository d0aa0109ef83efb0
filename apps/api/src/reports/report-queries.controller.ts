import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/auth';
import { Access, UnitDirectory } from '@app/org';
import { CLOCK, type Clock } from '@app/platform';
import { Consistency } from '@app/read-models';
import { Projector } from '@app/readstore';
import {
  directiveStatus,
  escalationsProjection,
  escalationsTo,
  listObligations,
  overdueSubordinates,
  reportingStatusProjection,
  targetAchievement,
  unitDashboard,
  unitDigest,
  DIGEST_DUE_SOON_DAYS,
} from '@app/reporting';
import { directiveStatusProjection } from '@app/directives';
import { DirectiveIdParam } from '../directives/directives.params';
import type { EngineRequest } from '../http/request-context';
import { UnitIdParam } from '../units/units.params';
import {
  AchievementQueryDto,
  DigestQueryDto,
  DirectiveStatusQueryDto,
  EscalationsQueryDto,
  ObligationsQueryDto,
  ReadQueryDto,
} from './report-queries.dto';

/**
 * Reporting read models over HTTP: status and achievement at any node, obligations, a unit's
 * dashboard, escalations. Every answer comes from the read models only, for a unit the caller may
 * read (their subtree, or an oversight group's); `minPosition` waits for the caller's own writes.
 */
@ApiTags('reporting')
@ApiBearerAuth()
@Controller()
export class ReportQueriesController {
  constructor(
    private readonly projector: Projector,
    private readonly consistency: Consistency,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private get db() {
    return this.projector.store.db;
  }

  /** The unit asked for (default: the caller's), once the caller may read it. */
  private async readable(principal: Principal, unitId: string | undefined): Promise<string> {
    const unit = unitId ?? principal.unitId;
    await this.directory.refresh();
    this.access.requireRead(principal, unit);
    return unit;
  }

  @Get('directives/:directiveId/status')
  @ApiOperation({
    summary: "A directive's status at a node of the tree, by level of the reporting units; children=true drills down one level",
  })
  async status(@Param() p: DirectiveIdParam, @Query() q: DirectiveStatusQueryDto, @Req() request: EngineRequest) {
    const unitId = await this.readable(request.principal!, q.unitId);
    const consistent = await this.consistency.waitFor([reportingStatusProjection], q.minPosition);
    const status = await directiveStatus(this.db, {
      directiveId: p.directiveId,
      unitId,
      period: q.period,
      include: q.include ?? 'approved',
      children: q.children === 'true',
    });
    return { ...status, consistent };
  }

  @Get('directives/:directiveId/achievement')
  @ApiOperation({
    summary: 'Each target at a node: its figure against the target in force, with on-track / at-risk / achieved / missed',
  })
  async achievement(@Param() p: DirectiveIdParam, @Query() q: AchievementQueryDto, @Req() request: EngineRequest) {
    const unitId = await this.readable(request.principal!, q.unitId);
    const consistent = await this.consistency.waitFor([reportingStatusProjection], q.minPosition);
    const result = await targetAchievement(this.db, {
      directiveId: p.directiveId,
      unitId,
      period: q.period,
      include: q.include ?? 'approved',
      at: q.at ? new Date(q.at) : this.clock.now(),
    });
    return { ...result, consistent };
  }

  @Get('obligations')
  @ApiOperation({
    summary: 'Reporting obligations in a subtree, filtered by directive, period, status and official status; paged',
  })
  async obligations(@Query() q: ObligationsQueryDto, @Req() request: EngineRequest) {
    const unitId = await this.readable(request.principal!, q.unitId);
    const consistent = await this.consistency.waitFor([reportingStatusProjection], q.minPosition);
    const page = await listObligations(this.db, {
      unitId,
      directiveId: q.directiveId,
      period: q.period,
      status: q.status,
      officialStatus: q.officialStatus,
      now: this.clock.now(),
      page: q.page ?? 1,
      pageSize: q.pageSize ?? 100,
    });
    return { unitId, ...page, consistent };
  }

  @Get('units/:unitId/dashboard')
  @ApiOperation({
    summary:
      "A unit's dashboard: its own obligations, its subtree's completeness, escalations raised to it, overdue subordinates",
  })
  async dashboard(@Param() p: UnitIdParam, @Query() q: ReadQueryDto, @Req() request: EngineRequest) {
    const unitId = await this.readable(request.principal!, p.unitId);
    const consistent = await this.consistency.waitFor([reportingStatusProjection, escalationsProjection], q.minPosition);
    return { ...(await unitDashboard(this.db, unitId, this.clock.now())), consistent };
  }

  @Get('units/:unitId/digest')
  @ApiOperation({
    summary:
      "A unit's daily digest: per directive and period, the reports awaited in its whole subtree that are due soon, overdue or escalated",
  })
  async digest(@Param() p: UnitIdParam, @Query() q: DigestQueryDto, @Req() request: EngineRequest) {
    const unitId = await this.readable(request.principal!, p.unitId);
    const consistent = await this.consistency.waitFor([reportingStatusProjection, directiveStatusProjection], q.minPosition);
    return { ...(await unitDigest(this.db, unitId, this.clock.now(), q.days ?? DIGEST_DUE_SOON_DAYS)), consistent };
  }

  @Get('escalations')
  @ApiOperation({ summary: 'Escalations raised to a unit (open by default), and the reports it reviews that are overdue' })
  async escalations(@Query() q: EscalationsQueryDto, @Req() request: EngineRequest) {
    const toUnitId = await this.readable(request.principal!, q.toUnitId);
    const consistent = await this.consistency.waitFor([escalationsProjection, reportingStatusProjection], q.minPosition);
    return {
      toUnitId,
      escalations: await escalationsTo(this.db, toUnitId, q.state ?? 'open'),
      overdueSubordinates: await overdueSubordinates(this.db, toUnitId, this.clock.now()),
      consistent,
    };
  }
}
