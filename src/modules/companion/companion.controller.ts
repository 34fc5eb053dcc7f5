import { Body, Controller, Delete, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { CursorPage, Paginated, WithMessage } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { COMPANION_CONVERSATIONS_ORDERING, CompanionConversationsService } from './companion-conversations.service';
import { CompanionMessagingService } from './companion-messaging.service';
import {
  CompanionConversationDto,
  CompanionExchangeDto,
  CompanionHistoryQueryDto,
  CompanionMessageDto,
  CreateCompanionConversationDto,
  MAX_MESSAGES_PER_PAGE,
  SendCompanionMessageDto,
} from './companion.dto';

/** Your conversations with the AI companion (any signed-in user). */
@ApiTags('companion')
@Controller('companion/conversations')
@Authenticated()
export class CompanionController {
  constructor(
    private readonly conversations: CompanionConversationsService,
    private readonly messaging: CompanionMessagingService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start a conversation with the companion (optional title, encrypted at rest).' })
  @ApiEnvelope(CompanionConversationDto, { status: HttpStatus.CREATED })
  create(@CurrentUser() user: Principal, @Body() dto: CreateCompanionConversationDto): Promise<CompanionConversationDto> {
    return this.conversations.create(user.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Your companion conversations, most recently active first.' })
  @ApiOrdering(COMPANION_CONVERSATIONS_ORDERING)
  @ApiEnvelope(CompanionConversationDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<CompanionConversationDto>> {
    return this.conversations.list(user.userId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your companion conversations (its messages: GET …/{id}/messages).' })
  @ApiEnvelope(CompanionConversationDto)
  @ApiError('COMPANION.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<CompanionConversationDto> {
    return this.conversations.get(user.userId, id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete one of your companion conversations and its messages (the day’s quota is not given back).' })
  @ApiEnvelope('null')
  @ApiError('COMPANION.NOT_FOUND')
  async remove(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.conversations.remove(user.userId, id);
    return new WithMessage(null, 'Companion conversation deleted.');
  }

  @Get(':id/messages')
  @ApiOperation({
    summary: 'The history, newest first, by cursor.',
    description:
      'Always newest first. `before` (a message id) pages back to older messages; `after` gives the messages right after one (still newest first). ' +
      '`cursor.before`/`cursor.after` are the ids to pass next. `sender` is `user`, `assistant` (the PTSD app’s `gpt`) or `system`.',
  })
  @ApiEnvelope(CompanionMessageDto, { cursor: true, maxItems: MAX_MESSAGES_PER_PAGE })
  @ApiError('COMPANION.NOT_FOUND')
  history(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: CompanionHistoryQueryDto): Promise<CursorPage<CompanionMessageDto>> {
    return this.conversations.history(user.userId, id, query);
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'Send a message to the companion; answers with it and the reply.',
    description:
      'The reply comes from the configured OpenAI-compatible model (`source: model`), the built-in offline responder (`offline`), or the ' +
      'responder after the model failed (`offline_fallback`). It is also streamed to your sockets (`companion_reply_chunk`, then `companion_reply`). ' +
      'When the message points to a crisis (`crisis: true`; `keywords_detected` lists the detected categories) the reply starts with crisis ' +
      'helplines and your safety plan. Each plan allows `companion_daily_messages` a calendar day in your time zone; over it the answer is ' +
      '429 `COMPANION.QUOTA_EXCEEDED` and nothing is stored — except a crisis message, which is still stored and answered with the crisis resources (a `system` message, no model call).',
  })
  @ApiEnvelope(CompanionExchangeDto, { status: HttpStatus.CREATED })
  @ApiError('COMPANION.NOT_FOUND', 'COMPANION.QUOTA_EXCEEDED')
  send(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: SendCompanionMessageDto): Promise<CompanionExchangeDto> {
    return this.messaging.exchange(user.userId, id, dto.text);
  }
}
