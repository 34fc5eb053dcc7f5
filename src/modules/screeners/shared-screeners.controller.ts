import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { ScreenerResponseDto, ScreenerResponseQueryDto } from './screeners.dto';
import { SCREENER_RESPONSES_ORDERING, ScreenersService } from './screeners.service';

/** A client's screener history, read-only, for a care-team therapist the client granted the screeners scope. */
@ApiTags('care-team')
@Controller('clients/:client_id/screeners')
export class SharedScreenersController {
  constructor(private readonly screeners: ScreenersService) {}

  @Get('responses')
  @Authenticated()
  @ApiOperation({ summary: "A client's answered questionnaires (needs their grant with the screeners scope; each read is audited)." })
  @ApiOrdering(SCREENER_RESPONSES_ORDERING)
  @ApiEnvelope(ScreenerResponseDto, { paginated: true })
  @ApiError('SCREENERS.NOT_FOUND')
  history(
    @CurrentUser() user: Principal,
    @UuidParam('client_id') clientId: string,
    @Query() query: ScreenerResponseQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<Paginated<ScreenerResponseDto>> {
    return this.screeners.sharedHistory(user, clientId, query, context);
  }
}
