import { Body, Controller, Get, Param, PipeTransform, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { SafetyPlanDto, SafetyPlanVersionSummaryDto, SaveSafetyPlanDto } from './safety-plans.dto';
import { SAFETY_PLAN_VERSIONS_ORDERING, SafetyPlansService } from './safety-plans.service';

const MAX_VERSION = 2_147_483_647;

/** A version number in the path: a whole number from 1 that fits the column, else a 400 naming it. */
class VersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const version = /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) throw AppException.validation('version', `version must be a whole number from 1 to ${MAX_VERSION}`);
    return version;
  }
}

/** Safety plans: the caller's own, and their clients' for care-team therapists. */
@ApiTags('safety-plans')
@Controller('safety-plans')
export class SafetyPlansController {
  constructor(private readonly plans: SafetyPlansService) {}

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'Your current safety plan (version 0, empty, when you have none yet).' })
  @ApiEnvelope(SafetyPlanDto)
  getOwn(@CurrentUser() user: Principal): Promise<SafetyPlanDto> {
    return this.plans.getOwn(user.userId);
  }

  @Put('me')
  @Authenticated()
  @ApiOperation({
    summary: 'Save a new version of your safety plan (the whole plan; sections left out are empty). `base_version` is the version you edited; your care team is notified.',
  })
  @ApiEnvelope(SafetyPlanDto)
  @ApiError('SAFETYPLANS.VERSION_CONFLICT')
  saveOwn(@CurrentUser() user: Principal, @Body() dto: SaveSafetyPlanDto, @ReqContext() context: RequestContext): Promise<SafetyPlanDto> {
    return this.plans.saveOwn(user, dto, context);
  }

  @Get('me/versions')
  @Authenticated()
  @ApiOperation({ summary: 'The history of your safety plan: who wrote each version, and when.' })
  @ApiOrdering(SAFETY_PLAN_VERSIONS_ORDERING)
  @ApiEnvelope(SafetyPlanVersionSummaryDto, { paginated: true })
  history(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<SafetyPlanVersionSummaryDto>> {
    return this.plans.history(user.userId, query);
  }

  @Get('me/versions/:version')
  @Authenticated()
  @ApiOperation({ summary: 'One earlier (or the current) version of your safety plan.' })
  @ApiParam({ name: 'version', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_VERSION } })
  @ApiEnvelope(SafetyPlanDto)
  @ApiError('SAFETYPLANS.NOT_FOUND')
  getOwnVersion(@CurrentUser() user: Principal, @Param('version', new VersionPipe()) version: number): Promise<SafetyPlanDto> {
    return this.plans.getOwnVersion(user.userId, version);
  }

  @Get('clients/:clientId')
  @Authenticated()
  @ApiOperation({ summary: "A client's current safety plan, for a therapist holding an active care-team grant from them (audited)." })
  @ApiEnvelope(SafetyPlanDto)
  @ApiError('SAFETYPLANS.NOT_FOUND')
  getForClient(@CurrentUser() user: Principal, @UuidParam('clientId') clientId: string, @ReqContext() context: RequestContext): Promise<SafetyPlanDto> {
    return this.plans.getForClient(user, clientId, context);
  }

  @Put('clients/:clientId')
  @Authenticated()
  @ApiOperation({ summary: "Save a new version of a client's safety plan, as a therapist holding an active care-team grant from them (audited; the client is notified)." })
  @ApiEnvelope(SafetyPlanDto)
  @ApiError('SAFETYPLANS.NOT_FOUND', 'SAFETYPLANS.VERSION_CONFLICT')
  saveForClient(
    @CurrentUser() user: Principal,
    @UuidParam('clientId') clientId: string,
    @Body() dto: SaveSafetyPlanDto,
    @ReqContext() context: RequestContext,
  ): Promise<SafetyPlanDto> {
    return this.plans.saveForClient(user, clientId, dto, context);
  }
}
