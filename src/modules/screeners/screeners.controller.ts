import { Body, Controller, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { InstrumentParam } from './instrument-param';
import type { Instrument } from './instruments';
import { ScreenerDto, ScreenerResponseDto, ScreenerResponseQueryDto, SubmitScreenerDto } from './screeners.dto';
import { SCREENER_RESPONSES_ORDERING, ScreenersService } from './screeners.service';

/** PHQ-9 and GAD-7: the questionnaires, your answers with their scores, and your history. */
@ApiTags('screeners')
@Controller('screeners')
export class ScreenersController {
  constructor(private readonly screeners: ScreenersService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The questionnaires (PHQ-9, GAD-7) with their items, answer options and severity bands.' })
  @ApiEnvelope(ScreenerDto, { list: true, maxItems: 2 })
  list(): ScreenerDto[] {
    return this.screeners.instruments();
  }

  @Post(':instrument/responses')
  @Authenticated()
  @ApiOperation({
    summary: 'Answer a questionnaire; the answer is scored and stored.',
    description:
      'A PHQ-9 item 9 answer above 0 sets `safety_signal` and `support_message` (crisis resources), and tells staff and your care team that you need a check-in, without your answers or score.',
  })
  @ApiEnvelope(ScreenerResponseDto, { status: HttpStatus.CREATED })
  submit(
    @CurrentUser() user: Principal,
    @InstrumentParam() instrument: Instrument,
    @Body() dto: SubmitScreenerDto,
    @ReqContext() context: RequestContext,
  ): Promise<ScreenerResponseDto> {
    return this.screeners.submit(user.userId, instrument, dto, context);
  }

  @Get('responses')
  @Authenticated()
  @ApiOperation({ summary: 'Your answered questionnaires, newest first; `instrument` filters.' })
  @ApiOrdering(SCREENER_RESPONSES_ORDERING)
  @ApiEnvelope(ScreenerResponseDto, { paginated: true })
  history(@CurrentUser() user: Principal, @Query() query: ScreenerResponseQueryDto): Promise<Paginated<ScreenerResponseDto>> {
    return this.screeners.history(user.userId, query);
  }

  @Get('responses/:id')
  @Authenticated()
  @ApiOperation({ summary: 'One of your answered questionnaires.' })
  @ApiEnvelope(ScreenerResponseDto)
  @ApiError('SCREENERS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ScreenerResponseDto> {
    return this.screeners.get(user.userId, id);
  }
}
