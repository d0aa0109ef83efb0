import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@app/auth';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore, categoryOf } from '@app/eventstore';
import { ForbiddenError, NotFoundError, ValidationError } from '@app/kernel';
import { Access, UnitDirectory } from '@app/org';
import type { EngineRequest } from '../http/request-context';

const STREAM_ID = /^[a-z][a-zA-Z0-9]*-[A-Za-z0-9._-]{1,300}$/;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export class StreamIdParam {
  @ApiProperty({ example: 'report-lc-11_LCI-BX-01_2026-H1', description: '<category>-<id>; composite ids join parts with _' })
  @Matches(STREAM_ID, { message: 'streamId must look like <category>-<id>, e.g. directive-lc-11' })
  streamId!: string;
}

export class StreamPageQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'The first revision returned (inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  maxCount?: number;
}

class StreamIdInvalid extends ValidationError {
  constructor(streamId: string) {
    super('STREAM.INVALID_ID', `${streamId} is not a stream this API serves`, [
      { field: 'streamId', message: 'must be unit-<u>, directive-<d>, assignment-<d>_<u> or report-<d>_<u>_<period>' },
    ]);
  }
}

class StreamNotFound extends NotFoundError {
  constructor(streamId: string) {
    super('STREAM.NOT_FOUND', `Stream ${streamId} has no events`, { streamId });
  }
}

/** The raw history of one stream, for audits and debugging; readable by whoever may read its unit. */
@ApiTags('streams')
@ApiBearerAuth()
@Controller('streams')
export class StreamsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    private readonly directives: DirectiveService,
  ) {}

  @Get(':streamId')
  @ApiOperation({ summary: "A stream's events in order, with their metadata (actor, occurredAt); ETag is the stream revision" })
  async read(
    @Param() p: StreamIdParam,
    @Query() q: StreamPageQuery,
    @Req() request: EngineRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const principal = request.principal as Principal;
    await this.directory.refresh();
    await this.authorize(principal, p.streamId);
    const revision = await this.store.streamRevision(p.streamId);
    if (revision < 0) throw new StreamNotFound(p.streamId);
    const events = await this.store.readStream(p.streamId, {
      fromRevision: q.fromRevision ?? 0,
      maxCount: q.maxCount ?? DEFAULT_PAGE,
    });
    void reply.header('etag', `"${revision}"`);
    return {
      streamId: p.streamId,
      revision,
      events: events.map((e) => ({
        position: e.position,
        revision: e.revision,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        recordedAt: new Date(e.recordedAt).toISOString(),
      })),
    };
  }

  /** A stream belongs to a unit; a directive's stream may also be read by the units below its issuer (its assignees). */
  private async authorize(principal: Principal, streamId: string): Promise<void> {
    const category = categoryOf(streamId);
    const parts = streamId.slice(category.length + 1).split('_');
    const ok = (n: number) => parts.length === n && parts.every((part) => part.length > 0);
    let unitId: string;
    let readableFromBelow = false;
    if (category === 'unit' && ok(1)) unitId = parts[0];
    else if (category === 'assignment' && ok(2)) unitId = parts[1];
    else if (category === 'report' && ok(3)) unitId = parts[1];
    else if (category === 'directive' && ok(1)) {
      const directive = await this.directives.state(parts[0]);
      if (directive.status === 'none') throw new StreamNotFound(streamId);
      unitId = directive.header.issuerUnitId;
      readableFromBelow = true;
    } else throw new StreamIdInvalid(streamId);
    // A unit never registered has no streams. Saying so is no more than an unknown directive's
    // stream already says, and "outside what you may read" would mislead even the root's admin.
    if (this.directory.get(unitId) === undefined) throw new StreamNotFound(streamId);
    if (this.access.canRead(principal, unitId)) return;
    if (readableFromBelow && this.directory.isWithin(principal.unitId, unitId)) return;
    throw new ForbiddenError('AUTH.OUTSIDE_SUBTREE', `Stream ${streamId} belongs to unit ${unitId}, outside what you may read`, {
      unitId,
    });
  }
}
