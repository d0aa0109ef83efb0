import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@app/kernel';
import { Access, UnitDirectory, childrenAt, unitAt, unitTreeProjection, unitViewAt } from '@app/org';
import { CLOCK, type Clock } from '@app/platform';
import { Consistency } from '@app/read-models';
import { Projector } from '@app/readstore';
import type { EngineRequest } from '../http/request-context';
import { UnitChildrenQueryDto, UnitTreeQueryDto } from './unit-tree.dto';
import { UnitIdParam } from './units.params';

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/** The unit tree as it stood on a date, read from the unit-tree read model. Callers read their own subtree. */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitTreeController {
  constructor(
    private readonly projector: Projector,
    private readonly consistency: Consistency,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Authorizes the read, waits for `minPosition`, and settles the date: today in Vietnam when none is given. */
  private async prepare(request: EngineRequest, unitId: string, query: UnitTreeQueryDto) {
    await this.directory.refresh();
    this.access.requireUnit(unitId);
    this.access.requireRead(request.principal!, unitId);
    const consistent = await this.consistency.waitFor([unitTreeProjection], query.minPosition);
    const at = query.at ?? new Date(this.clock.now().getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
    return { consistent, at, db: this.projector.store.db };
  }

  private static notThere(unitId: string, at: string): NotFoundError {
    return new NotFoundError('UNIT.NOT_FOUND', `Unit ${unitId} did not exist on ${at}`, { unitId, at });
  }

  @Get(':unitId')
  @ApiOperation({ summary: 'A unit as it stood on a date, with its ancestors and its children (its own subtree or above)' })
  async unit(@Param() p: UnitIdParam, @Query() query: UnitTreeQueryDto, @Req() request: EngineRequest) {
    const { consistent, at, db } = await this.prepare(request, p.unitId, query);
    const unit = await unitAt(db, p.unitId, at);
    if (!unit) throw UnitTreeController.notThere(p.unitId, at);
    return { at, ...unit, consistent };
  }

  @Get(':unitId/children')
  @ApiOperation({ summary: 'The direct children of a unit on a date, by code, a page at a time (at most 500)' })
  async children(@Param() p: UnitIdParam, @Query() query: UnitChildrenQueryDto, @Req() request: EngineRequest) {
    const { consistent, at, db } = await this.prepare(request, p.unitId, query);
    if (!(await unitViewAt(db, p.unitId, at))) throw UnitTreeController.notThere(p.unitId, at);
    const page = await childrenAt(db, p.unitId, at, {
      page: query.page,
      pageSize: query.pageSize,
      includeInactive: query.includeInactive === 'true',
    });
    return { at, unitId: p.unitId, ...page, consistent };
  }
}
