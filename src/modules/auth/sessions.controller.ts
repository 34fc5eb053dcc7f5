import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated, WithMessage } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { SessionDto, toSessionDto } from './auth.dto';
import { SESSIONS_ORDERING, SessionsService } from './sessions.service';

/** Where the account is signed in, and ending one of those sessions (a lost or shared device). */
@ApiTags('auth')
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your signed-in sessions (devices), most recently used first; `current` marks this one.' })
  @ApiOrdering(SESSIONS_ORDERING)
  @ApiEnvelope(SessionDto, { paginated: true })
  async list(@CurrentUser() principal: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<SessionDto>> {
    return (await this.sessions.listActive(principal.userId, query)).map((session) => toSessionDto(session, principal.sessionId));
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'End one of your sessions: its access and refresh tokens stop working at once.' })
  @ApiEnvelope('null')
  @ApiError('COMMON.NOT_FOUND')
  async revoke(@CurrentUser() principal: Principal, @UuidParam() id: string, @ReqContext() context: RequestContext): Promise<WithMessage<null>> {
    await this.sessions.revokeOwn(principal, id, context);
    return new WithMessage(null, 'Session ended.');
  }
}
