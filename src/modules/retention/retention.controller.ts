import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { RetentionRunDto, RetentionStatusDto, toRetentionRunDto, toRetentionStatusDto } from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('admin')
@Controller('admin/retention')
export class RetentionController {
  constructor(
    private readonly retention: RetentionService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Authenticated(Permission.RetentionManage)
  @ApiOperation({ summary: 'The retention periods in effect, the schedule, and the last run (admins).' })
  @ApiEnvelope(RetentionStatusDto)
  async status(): Promise<RetentionStatusDto> {
    return toRetentionStatusDto(this.config, await this.retention.lastRun());
  }

  @Post('run')
  @Authenticated(Permission.RetentionManage)
  @ApiOperation({
    summary: 'Run the retention job now and get the rows deleted per kind (admins; audited).',
    description: 'Deletes what is past its period, exactly as the scheduled run does; a kind whose period is 0 is kept (its count is null).',
  })
  @ApiEnvelope(RetentionRunDto)
  async run(@CurrentUser() principal: Principal, @ReqContext() context: RequestContext): Promise<RetentionRunDto> {
    return toRetentionRunDto(await this.retention.runNow(principal, context));
  }
}
