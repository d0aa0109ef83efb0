import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@app/auth';
import { type DirectiveView, assignmentsOf, childDirectives, directiveById, directiveStatusProjection } from '@app/directives';
import { ForbiddenError, NotFoundError } from '@app/kernel';
import { Access, UnitDirectory, unitTreeProjection } from '@app/org';
import { Consistency } from '@app/read-models';
import { Projector } from '@app/readstore';
import type { EngineRequest } from '../http/request-context';
import { AssignmentsQueryDto, DirectiveQueryDto } from './directive-queries.dto';
import { DirectiveIdParam } from './directives.params';

/** Both read models: assignments and child directives are scoped by the unit tree. */
const READ_MODELS = [directiveStatusProjection, unitTreeProjection];

/**
 * Directive status, read from the directive-status read model. Whoever may read the issuer unit
 * sees everything; a unit below the issuer (an assignee) sees an issued directive, with the
 * assignments and child directives of its own subtree only and no overall counts.
 */
@ApiTags('directives')
@ApiBearerAuth()
@Controller('directives')
export class DirectiveQueriesController {
  constructor(
    private readonly projector: Projector,
    private readonly consistency: Consistency,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
  ) {}

  private async load(directiveId: string, minPosition: number | undefined) {
    const consistent = await this.consistency.waitFor(READ_MODELS, minPosition);
    const directive = await directiveById(this.projector.store.db, directiveId);
    if (!directive) throw new NotFoundError('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
    return { consistent, directive };
  }

  /** 'all' for readers of the issuer unit; 'own' for units below the issuer once the directive is issued. */
  private async scopeOf(principal: Principal, directive: DirectiveView): Promise<'all' | 'own'> {
    await this.directory.refresh();
    if (this.access.canRead(principal, directive.issuerUnitId)) return 'all';
    if (directive.status !== 'draft' && this.directory.isWithin(principal.unitId, directive.issuerUnitId)) return 'own';
    throw new ForbiddenError('AUTH.OUTSIDE_SUBTREE', `Directive ${directive.directiveId} is outside what you may read`, {
      directiveId: directive.directiveId,
    });
  }

  @Get(':directiveId')
  @ApiOperation({ summary: 'A directive: header, targets, tasks, schedule, status, assignment counts and child directives' })
  async directive(@Param() p: DirectiveIdParam, @Query() query: DirectiveQueryDto, @Req() request: EngineRequest) {
    const principal = request.principal!;
    const { consistent, directive } = await this.load(p.directiveId, query.minPosition);
    const scope = await this.scopeOf(principal, directive);
    const children = await childDirectives(this.projector.store.db, p.directiveId, {
      pageSize: 500,
      ...(scope === 'own' && { under: principal.unitId }),
    });
    return { ...directive, counts: scope === 'all' ? directive.counts : null, childDirectives: children, consistent };
  }

  @Get(':directiveId/assignments')
  @ApiOperation({
    summary: "A directive's assignments by unit, filtered: who has not acknowledged, who has not issued their own plan",
  })
  async assignments(@Param() p: DirectiveIdParam, @Query() query: AssignmentsQueryDto, @Req() request: EngineRequest) {
    const principal = request.principal!;
    const { consistent, directive } = await this.load(p.directiveId, query.minPosition);
    const scope = await this.scopeOf(principal, directive);
    if (query.under !== undefined) {
      this.access.requireUnit(query.under);
      this.access.requireRead(principal, query.under);
    }
    const page = await assignmentsOf(this.projector.store.db, p.directiveId, {
      status: query.status,
      notImplemented: query.notImplemented === 'true',
      under: query.under ?? (scope === 'own' ? principal.unitId : undefined),
      page: query.page,
      pageSize: query.pageSize,
    });
    return { directiveId: p.directiveId, ...page, consistent };
  }
}
