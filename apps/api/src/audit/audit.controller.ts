import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AUDIT_COLUMNS, auditIndexProjection, auditTrail } from '@app/audit';
import { DirectiveService } from '@app/directives';
import { ValidationError } from '@app/kernel';
import { Access, UnitDirectory } from '@app/org';
import { Consistency } from '@app/read-models';
import { Projector } from '@app/readstore';
import type { EngineRequest } from '../http/request-context';
import { AuditQueryDto } from './audit.dto';

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote always; neutralise spreadsheet formulas in exported text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly projector: Projector,
    private readonly consistency: Consistency,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    private readonly directives: DirectiveService,
  ) {}

  /**
   * The audit trail: who did what, when, filtered by any column. Scoped to what the caller may
   * read: a unit of their subtree (`unitId`), or a directive their subtree issued (`directiveId`).
   */
  @Get()
  @ApiOperation({ summary: 'Audit trail (JSON, or CSV with format=csv)' })
  async list(@Query() query: AuditQueryDto, @Req() request: EngineRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const principal = request.principal!;
    await this.directory.refresh();
    if (!query.unitId && !query.directiveId) {
      throw new ValidationError('AUDIT.SCOPE_REQUIRED', 'Give unitId or directiveId', [
        { field: 'unitId', message: 'give unitId or directiveId to scope the audit' },
      ]);
    }
    if (query.unitId) this.access.requireRead(principal, query.unitId);
    else {
      const directive = await this.directives.state(query.directiveId!);
      if (directive.status !== 'none') this.access.requireRead(principal, directive.header.issuerUnitId);
    }
    const fresh = await this.consistency.waitFor([auditIndexProjection], query.minPosition);
    const limit = query.limit ?? 100;
    const rows = await auditTrail(this.projector.store.db, {
      directiveId: query.directiveId,
      unitId: query.unitId,
      period: query.period,
      actorUser: query.actorUser,
      actorUnit: query.actorUnit,
      type: query.type,
      from: query.from ? new Date(query.from).toISOString() : undefined,
      to: query.to ? new Date(query.to).toISOString() : undefined,
      afterPosition: query.afterPosition,
      limit,
    });
    void reply.header('x-read-consistent', String(fresh));
    if (query.format === 'csv') {
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"');
      return (
        [AUDIT_COLUMNS.join(','), ...rows.map((row) => AUDIT_COLUMNS.map((c) => csvCell(row[c])).join(','))].join('\r\n') + '\r\n'
      );
    }
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => ({ ...r, position: Number(r.position) })),
      nextAfterPosition: rows.length === limit && last ? Number(last.position) : null,
      consistent: fresh,
    };
  }
}
