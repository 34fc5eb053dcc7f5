import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { SafetySignalDto, SafetySignalQueryDto } from './screeners.dto';
import { SAFETY_SIGNALS_ORDERING, ScreenersService } from './screeners.service';

/** Staff: the safety signals screener answers raised (who and when, never the answers). */
@ApiTags('admin')
@Controller('admin/safety-signals')
export class SafetySignalsController {
  constructor(private readonly screeners: ScreenersService) {}

  @Get()
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Safety signals, newest first; `user_id` filters.' })
  @ApiOrdering(SAFETY_SIGNALS_ORDERING)
  @ApiEnvelope(SafetySignalDto, { paginated: true })
  list(@Query() query: SafetySignalQueryDto): Promise<Paginated<SafetySignalDto>> {
    return this.screeners.listSignals(query);
  }
}
