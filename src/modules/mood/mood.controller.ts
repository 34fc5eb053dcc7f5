import { Body, Controller, Delete, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ErrorEnvelope } from 'src/common/errors/error-envelope';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated, WithMessage } from 'src/common/http/envelope';
import { RawResponse } from 'src/common/http/raw-response.decorator';
import { ReqContext, RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { CreateMoodEntryDto, MoodAnalyticsDto, MoodEntryDto, MoodEntryListQueryDto, MoodRangeQueryDto } from './mood.dto';
import { MOOD_ENTRIES_ORDERING, MoodService } from './mood.service';

/** Your own mood log. */
@ApiTags('mood')
@Controller('mood')
@Authenticated()
export class MoodController {
  constructor(private readonly mood: MoodService) {}

  @Post('entries')
  @ApiOperation({
    summary: 'Log a mood.',
    description:
      'Several entries a day are fine. `logged_at` defaults to now, may be back-dated up to 30 days, never in the future. ' +
      'The entry’s `local_date` is the day of `logged_at` in your time zone (PATCH /api/v1/users/me `time_zone`) at the time of writing; ' +
      'changing your time zone later does not move old entries.',
  })
  @ApiEnvelope(MoodEntryDto, { status: HttpStatus.CREATED })
  create(@CurrentUser() user: Principal, @Body() dto: CreateMoodEntryDto): Promise<MoodEntryDto> {
    return this.mood.create(user.userId, dto);
  }

  @Get('entries')
  @ApiOperation({
    summary: 'Your mood entries, newest first by `logged_at`.',
    description: '`date_after`/`date_before` are instants compared with `logged_at`; `search` matches moods and tags (notes are encrypted).',
  })
  @ApiOrdering(MOOD_ENTRIES_ORDERING)
  @ApiEnvelope(MoodEntryDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: MoodEntryListQueryDto): Promise<Paginated<MoodEntryDto>> {
    return this.mood.list(user.userId, query);
  }

  @Get('entries/:id')
  @ApiOperation({ summary: 'One of your mood entries.' })
  @ApiEnvelope(MoodEntryDto)
  @ApiError('MOOD.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<MoodEntryDto> {
    return this.mood.get(user.userId, id);
  }

  @Delete('entries/:id')
  @ApiOperation({ summary: 'Delete one of your mood entries.' })
  @ApiEnvelope('null')
  @ApiError('MOOD.NOT_FOUND')
  async remove(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.mood.remove(user.userId, id);
    return new WithMessage(null, 'Mood entry deleted.');
  }

  @Get('analytics')
  @ApiOperation({
    summary: 'Counts per mood, streaks and weekly intensity.',
    description:
      'Days are local calendar days in your time zone, as stored with each entry. `mood_counts` lists every mood of the vocabulary. ' +
      '`date_after`/`date_before` (instants on `logged_at`) limit the counts, `longest_streak` and `weekly_intensity`; ' +
      '`current_streak` is always over the whole log: it counts the run of days ending today or yesterday.',
  })
  @ApiEnvelope(MoodAnalyticsDto)
  analytics(@CurrentUser() user: Principal, @Query() query: MoodRangeQueryDto): Promise<MoodAnalyticsDto> {
    return this.mood.analytics(user.userId, query);
  }

  @Get('export.csv')
  @RawResponse()
  @ApiOperation({
    summary: 'Download your mood log as CSV.',
    description:
      'Streamed, oldest first: RFC 4180 (CRLF, quoted where needed), UTF-8 with a byte-order mark (so spreadsheets detect UTF-8), a header row ' +
      '`logged_at,local_date,mood,intensity,tags,note`; tags are joined with `;`. A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed ' +
      'with `\'` so a spreadsheet never runs it as a formula. `date_after`/`date_before` filter on `logged_at`. ' +
      'Sent as an attachment named `mood-YYYY-MM-DD.csv` (today in your time zone). Errors (a bad filter) come as the JSON error envelope.',
  })
  @ApiProduces('text/csv')
  // No maxLength: the file grows with the log (one line per entry), like the Prometheus text.
  @ApiOkResponse({ description: 'The CSV file, one line per entry after the header.', schema: { type: 'string' } })
  @ApiResponse({ status: 400, description: 'Invalid input; `errors` names each field (`COMMON.VALIDATION_FAILED`).', type: ErrorEnvelope })
  @ApiResponse({ status: 429, description: 'Rate limited (`COMMON.RATE_LIMITED`); retry after `Retry-After` seconds.', type: ErrorEnvelope })
  async export(@CurrentUser() user: Principal, @Query() query: MoodRangeQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const { filename, stream } = await this.mood.exportCsv(user.userId, query);
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(stream);
  }
}

/** A client's mood log, read-only, for the therapists they shared it with (care-team scope `mood`). */
@ApiTags('mood')
@Controller('clients/:client_id/mood')
@Authenticated()
export class ClientMoodController {
  constructor(private readonly mood: MoodService) {}

  @Get('entries')
  @ApiOperation({
    summary: 'A client’s mood entries (care team), newest first.',
    description: 'For a verified therapist holding the client’s `mood` grant; every read is audited. Otherwise 404, as for an unknown client.',
  })
  @ApiOrdering(MOOD_ENTRIES_ORDERING)
  @ApiEnvelope(MoodEntryDto, { paginated: true })
  @ApiError('MOOD.NOT_FOUND')
  entries(
    @CurrentUser() user: Principal,
    @UuidParam('client_id', 'The client’s user id.') clientId: string,
    @Query() query: MoodEntryListQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<Paginated<MoodEntryDto>> {
    return this.mood.sharedList(user, clientId, query, context);
  }

  @Get('analytics')
  @ApiOperation({
    summary: 'A client’s mood analytics (care team).',
    description: 'As GET /api/v1/mood/analytics, in the client’s time zone, for a therapist holding their `mood` grant (audited). Otherwise 404.',
  })
  @ApiEnvelope(MoodAnalyticsDto)
  @ApiError('MOOD.NOT_FOUND')
  analytics(
    @CurrentUser() user: Principal,
    @UuidParam('client_id', 'The client’s user id.') clientId: string,
    @Query() query: MoodRangeQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<MoodAnalyticsDto> {
    return this.mood.sharedAnalytics(user, clientId, query, context);
  }
}
