import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { BookSessionDto, CancelSessionQueryDto, RescheduleSessionDto, CareSessionDto, SessionListQueryDto } from './sessions.dto';
import { SESSIONS_ORDERING, SessionsService } from './sessions.service';

/** Care sessions (HumanLink sessions, SafeTalk appointments) between a client and a verified therapist or friend. */
@ApiTags('sessions')
@Controller('sessions')
export class CareSessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your sessions as client or provider (staff with sessions:oversee: every session). Filters: type, status, date_after/date_before (start), when=upcoming|past.' })
  @ApiOrdering(SESSIONS_ORDERING)
  @ApiEnvelope(CareSessionDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: SessionListQueryDto): Promise<Paginated<CareSessionDto>> {
    return this.sessions.list(user, query);
  }

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: 'Book a session inside the provider’s free slots; the price comes from their profile. Opens (or reuses) your direct chat with them (`chat_id`).',
  })
  @ApiEnvelope(CareSessionDto, { status: HttpStatus.CREATED })
  @ApiError(
    'SESSIONS.PROVIDER_NOT_FOUND',
    'SESSIONS.TYPE_NOT_OFFERED',
    'SESSIONS.OUTSIDE_AVAILABILITY',
    'SESSIONS.IN_PAST',
    'SESSIONS.NOT_ACCEPTING_CLIENTS',
    'SESSIONS.SLOT_TAKEN',
    'SESSIONS.CLIENT_OVERLAP',
  )
  book(@CurrentUser() user: Principal, @Body() dto: BookSessionDto): Promise<CareSessionDto> {
    return this.sessions.book(user, dto);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One session: its two people and staff with sessions:oversee.' })
  @ApiEnvelope(CareSessionDto)
  @ApiError('SESSIONS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<CareSessionDto> {
    return this.sessions.get(user, id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Reschedule an upcoming session (client or provider), under the booking rules.' })
  @ApiEnvelope(CareSessionDto)
  @ApiError(
    'SESSIONS.NOT_FOUND',
    'SESSIONS.NOT_UPCOMING',
    'SESSIONS.PROVIDER_NOT_FOUND',
    'SESSIONS.OUTSIDE_AVAILABILITY',
    'SESSIONS.IN_PAST',
    'SESSIONS.SLOT_TAKEN',
    'SESSIONS.CLIENT_OVERLAP',
  )
  reschedule(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: RescheduleSessionDto): Promise<CareSessionDto> {
    return this.sessions.reschedule(user, id, dto);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({
    summary: 'Cancel an upcoming session (client, provider, or staff with sessions:oversee), with an optional reason. Inside the notice window (SESSION_CANCEL_NOTICE_HOURS before the start) it is recorded as `late_cancellation`. Answers the cancelled session.',
  })
  @ApiEnvelope(CareSessionDto)
  @ApiError('SESSIONS.NOT_FOUND', 'SESSIONS.NOT_UPCOMING')
  cancel(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: CancelSessionQueryDto): Promise<CareSessionDto> {
    return this.sessions.cancel(user, id, query);
  }

  @Post(':id/complete')
  @Authenticated()
  @ApiOperation({ summary: 'The provider marks a started session completed.' })
  @ApiEnvelope(CareSessionDto)
  @ApiError('SESSIONS.NOT_FOUND', 'SESSIONS.PROVIDER_ONLY', 'SESSIONS.NOT_UPCOMING', 'SESSIONS.NOT_STARTED')
  complete(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<CareSessionDto> {
    return this.sessions.complete(user, id);
  }

  @Post(':id/no-show')
  @Authenticated()
  @ApiOperation({ summary: 'The provider marks a started session as a no-show.' })
  @ApiEnvelope(CareSessionDto)
  @ApiError('SESSIONS.NOT_FOUND', 'SESSIONS.PROVIDER_ONLY', 'SESSIONS.NOT_UPCOMING', 'SESSIONS.NOT_STARTED')
  noShow(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<CareSessionDto> {
    return this.sessions.noShow(user, id);
  }
}
