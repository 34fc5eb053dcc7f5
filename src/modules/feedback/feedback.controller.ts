import { Body, Controller, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { CreateFeedbackDto, FeedbackDto, FeedbackListQueryDto } from './feedback.dto';
import { FEEDBACK_ORDERING, FeedbackService } from './feedback.service';
import { FEEDBACK_CATEGORIES } from './feedback.types';

/** HumanLink §Feedback: a client's rating of a completed session. */
@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: `Rate a completed session you had as its client, once (rating 1–5, comment, categories from: ${FEEDBACK_CATEGORIES.join(', ')}). Updates the provider’s rating.`,
  })
  @ApiEnvelope(FeedbackDto, { status: HttpStatus.CREATED })
  @ApiError('FEEDBACK.SESSION_NOT_FOUND', 'FEEDBACK.SESSION_NOT_COMPLETED', 'FEEDBACK.ALREADY_GIVEN')
  create(@CurrentUser() user: Principal, @Body() dto: CreateFeedbackDto): Promise<FeedbackDto> {
    return this.feedback.create(user, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'Feedback on your sessions as provider, the feedback you gave as client; staff with sessions:oversee: all. Filters: session_id, rating_min, date_after, date_before, provider_id.',
  })
  @ApiOrdering(FEEDBACK_ORDERING)
  @ApiEnvelope(FeedbackDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: FeedbackListQueryDto): Promise<Paginated<FeedbackDto>> {
    return this.feedback.list(user, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One feedback, with the same visibility as the list.' })
  @ApiEnvelope(FeedbackDto)
  @ApiError('FEEDBACK.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<FeedbackDto> {
    return this.feedback.get(user, id);
  }
}
