import { Body, Controller, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { AddRiskNoteDto, CrisisSupportDto, ResolveRiskFlagDto, RiskFlagDetailDto, RiskFlagDto, RiskFlagQueryDto } from './risk-flags.dto';
import { RiskFlagsService } from './risk-flags.service';
import { RISK_FLAGS_ORDERING, RiskTriageService } from './risk-triage.service';

/** Staff: the triage queue of risk flags (who, where, what kind, when; never the text). */
@ApiTags('risk-flags')
@Controller('admin/risk-flags')
export class RiskFlagsTriageController {
  constructor(private readonly triage: RiskTriageService) {}

  @Get()
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Risk flags, most severe first (`ordering=first_detected_at` for the oldest first); filter by status, severity, user.' })
  @ApiOrdering(RISK_FLAGS_ORDERING)
  @ApiEnvelope(RiskFlagDto, { paginated: true })
  list(@Query() query: RiskFlagQueryDto): Promise<Paginated<RiskFlagDto>> {
    return this.triage.list(query);
  }

  @Get(':id')
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'One flag with its detections (references to what was written) and staff notes.' })
  @ApiEnvelope(RiskFlagDetailDto)
  @ApiError('RISK.NOT_FOUND')
  get(@UuidParam('id') id: string): Promise<RiskFlagDetailDto> {
    return this.triage.get(id);
  }

  @Post(':id/acknowledge')
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Acknowledge a flag: someone is on it, so it is not paged again. Audited.' })
  @ApiEnvelope(RiskFlagDetailDto, { status: HttpStatus.OK })
  @ApiError('RISK.NOT_FOUND', 'RISK.ALREADY_RESOLVED')
  acknowledge(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @ReqContext() context: RequestContext): Promise<RiskFlagDetailDto> {
    return this.triage.acknowledge(staff, id, context);
  }

  @Post(':id/notes')
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Add a note (encrypted at rest, staff only). Audited.' })
  @ApiEnvelope(RiskFlagDetailDto, { status: HttpStatus.CREATED })
  @ApiError('RISK.NOT_FOUND')
  addNote(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: AddRiskNoteDto, @ReqContext() context: RequestContext): Promise<RiskFlagDetailDto> {
    return this.triage.addNote(staff, id, dto, context);
  }

  @Post(':id/resolve')
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Resolve a flag with an outcome (and an optional closing note). Audited.' })
  @ApiEnvelope(RiskFlagDetailDto, { status: HttpStatus.OK })
  @ApiError('RISK.NOT_FOUND', 'RISK.ALREADY_RESOLVED')
  resolve(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: ResolveRiskFlagDto, @ReqContext() context: RequestContext): Promise<RiskFlagDetailDto> {
    return this.triage.resolve(staff, id, dto, context);
  }
}

/** Anyone: the crisis support Haven shows when it notices a crisis, on demand. */
@ApiTags('risk-flags')
@Controller('crisis-support')
export class CrisisSupportController {
  constructor(private readonly flags: RiskFlagsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your crisis support: helplines for your profile’s country (else the international list), your safety plan, whether your alarm would reach someone.' })
  @ApiEnvelope(CrisisSupportDto)
  get(@CurrentUser() user: Principal): Promise<CrisisSupportDto> {
    return this.flags.crisisSupport(user.userId);
  }
}
