import { Body, Controller, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ValidationError } from '@app/kernel';
import { UnitService } from '@app/org';
import { type ActingContext } from '@app/auth';
import { batchResponse, commandResponse } from '../commands/command-response';
import { Cmd } from '../http/command-metadata';
import type { EngineRequest } from '../http/request-context';
import {
  AppointOfficerDto,
  DissolveUnitDto,
  ImportUnitsQueryDto,
  MergeUnitDto,
  MoveUnitDto,
  RegisterUnitDto,
  RelieveOfficerDto,
  RenameUnitDto,
} from './units.dto';
import { UnitIdParam, UnitOfficerParams } from './units.params';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitService) {}

  @Post()
  @ApiOperation({ summary: 'Register a unit (admin of the parent unit, or the bootstrap admin for the root)' })
  async register(@Cmd() context: ActingContext, @Body() body: RegisterUnitDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return commandResponse(reply.status(201), await this.units.register(context, body), { unitId: body.unitId ?? body.code });
  }

  @Post('import')
  @HttpCode(201)
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Import units from CSV (code,name,level,parent_code); the whole file or nothing' })
  async import(@Cmd() context: ActingContext, @Query() query: ImportUnitsQueryDto, @Req() request: EngineRequest) {
    if (typeof request.body !== 'string') {
      throw new ValidationError('UNIT_IMPORT.NOT_CSV', 'Send the CSV as the request body with Content-Type: text/csv', [
        { field: 'body', message: 'must be CSV text sent with Content-Type: text/csv' },
      ]);
    }
    return batchResponse(await this.units.importCsv(context, request.body, query.validFrom));
  }

  @HttpCode(200)
  @Post(':unitId/rename')
  async rename(
    @Cmd() c: ActingContext,
    @Param() p: UnitIdParam,
    @Body() body: RenameUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.rename(c, p.unitId, body));
  }

  @HttpCode(200)
  @Post(':unitId/move')
  async move(
    @Cmd() c: ActingContext,
    @Param() p: UnitIdParam,
    @Body() body: MoveUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.move(c, p.unitId, body));
  }

  @HttpCode(200)
  @Post(':unitId/merge')
  async merge(
    @Cmd() c: ActingContext,
    @Param() p: UnitIdParam,
    @Body() body: MergeUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.merge(c, p.unitId, body));
  }

  @HttpCode(200)
  @Post(':unitId/dissolve')
  async dissolve(
    @Cmd() c: ActingContext,
    @Param() p: UnitIdParam,
    @Body() body: DissolveUnitDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.dissolve(c, p.unitId, body));
  }

  @HttpCode(200)
  @Post(':unitId/officers')
  async appoint(
    @Cmd() c: ActingContext,
    @Param() p: UnitIdParam,
    @Body() body: AppointOfficerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.appoint(c, p.unitId, body));
  }

  @HttpCode(200)
  @Post(':unitId/officers/:userId/relieve')
  async relieve(
    @Cmd() c: ActingContext,
    @Param() p: UnitOfficerParams,
    @Body() body: RelieveOfficerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return commandResponse(reply, await this.units.relieve(c, p.unitId, { userId: p.userId, validFrom: body.validFrom }));
  }
}
