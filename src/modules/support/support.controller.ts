import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { SupportChatDto, SupportConversationDto } from './support.dto';
import { SUPPORT_CONVERSATIONS_ORDERING, SupportService } from './support.service';

@ApiTags('support')
@Controller('support')
export class SupportController {
  constructor(private readonly support: SupportService) {}

  @Get('chat')
  @Authenticated()
  @ApiOperation({ summary: 'Your support conversation with the admin team and how to connect to it over Socket.IO.' })
  @ApiEnvelope(SupportChatDto)
  chat(@CurrentUser() user: Principal, @Req() request: FastifyRequest): Promise<SupportChatDto> {
    return this.support.chatFor(user, `${request.protocol}://${request.host}`);
  }

  @Get('conversations')
  @Authenticated(Permission.SupportManage)
  @ApiOperation({ summary: 'Every user’s support conversation, most recent first (staff).' })
  @ApiOrdering(SUPPORT_CONVERSATIONS_ORDERING)
  @ApiEnvelope(SupportConversationDto, { paginated: true })
  conversations(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<SupportConversationDto>> {
    return this.support.listForStaff(user, query);
  }
}
