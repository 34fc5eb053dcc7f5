import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated, WithMessage } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { CareGrantDto, CareGrantListQueryDto, CreateCareGrantDto, UpdateCareGrantDto } from './care-team.dto';
import { CARE_GRANTS_ORDERING, CareTeamService } from './care-team.service';

/**
 * Care-team sharing. The shared data itself is read from each feature under
 * /api/v1/clients/{client_id}/… (mood, goals, screeners, alarms).
 */
@ApiTags('care-team')
@Controller('care-team')
export class CareTeamController {
  constructor(private readonly careTeam: CareTeamService) {}

  @Post('grants')
  @Authenticated()
  @ApiOperation({ summary: 'Share your mood log, goals, screeners or alarms with a verified therapist you chat with (clients).' })
  @ApiEnvelope(CareGrantDto, { status: HttpStatus.CREATED })
  @ApiError('CARE.CLIENTS_ONLY', 'CARE.GRANT_EXISTS')
  grant(@CurrentUser() user: Principal, @Body() dto: CreateCareGrantDto, @ReqContext() context: RequestContext): Promise<CareGrantDto> {
    return this.careTeam.grant(user, dto, context);
  }

  @Get('grants')
  @Authenticated()
  @ApiOperation({ summary: 'The grants you made, in force and revoked.' })
  @ApiOrdering(CARE_GRANTS_ORDERING)
  @ApiEnvelope(CareGrantDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: CareGrantListQueryDto): Promise<Paginated<CareGrantDto>> {
    return this.careTeam.list(user, 'client', query);
  }

  @Get('clients')
  @Authenticated()
  @ApiOperation({ summary: 'The grants made to you (therapists): whose data you may read, and what.' })
  @ApiOrdering(CARE_GRANTS_ORDERING)
  @ApiEnvelope(CareGrantDto, { paginated: true })
  clients(@CurrentUser() user: Principal, @Query() query: CareGrantListQueryDto): Promise<Paginated<CareGrantDto>> {
    return this.careTeam.list(user, 'therapist', query);
  }

  @Get('grants/:id')
  @Authenticated()
  @ApiOperation({ summary: 'One grant you made or received.' })
  @ApiEnvelope(CareGrantDto)
  @ApiError('CARE.GRANT_NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<CareGrantDto> {
    return this.careTeam.get(user, id);
  }

  @Patch('grants/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Change what a grant in force covers.' })
  @ApiEnvelope(CareGrantDto)
  @ApiError('CARE.GRANT_NOT_FOUND')
  update(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateCareGrantDto, @ReqContext() context: RequestContext): Promise<CareGrantDto> {
    return this.careTeam.update(user, id, dto, context);
  }

  @Delete('grants/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Revoke a grant: the therapist loses access at once.' })
  @ApiEnvelope('null')
  @ApiError('CARE.GRANT_NOT_FOUND')
  async revoke(@CurrentUser() user: Principal, @UuidParam('id') id: string, @ReqContext() context: RequestContext): Promise<WithMessage<null>> {
    await this.careTeam.revoke(user, id, context);
    return new WithMessage(null, 'Sharing revoked.');
  }
}
