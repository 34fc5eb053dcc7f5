import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { SessionReminderDto } from './session-reminders.dto';
import { REMINDERS_ORDERING, SessionRemindersService } from './session-reminders.service';

/** The reminders of a session (scheduled by booking, moved by rescheduling, cancelled with the session). */
@ApiTags('sessions')
@Controller('sessions')
export class SessionRemindersController {
  constructor(private readonly reminders: SessionRemindersService) {}

  @Get(':id/reminders')
  @Authenticated()
  @ApiOperation({
    summary: 'A session’s reminders (offset, due time, status): its two people and staff with sessions:oversee. Sent in the app, over Socket.IO (`session_reminder`) and by email.',
  })
  @ApiOrdering(REMINDERS_ORDERING)
  @ApiEnvelope(SessionReminderDto, { paginated: true })
  @ApiError('SESSIONS.NOT_FOUND')
  list(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: PaginationQueryDto): Promise<Paginated<SessionReminderDto>> {
    return this.reminders.list(user, id, query);
  }
}
