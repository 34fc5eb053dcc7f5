import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { JobFailureDto, JobFailuresQueryDto, toJobFailureDto } from 'src/infrastructure/queue/job-failures.dto';
import { QueueService } from 'src/infrastructure/queue/queue.service';

@ApiTags('admin')
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly queue: QueueService) {}

  @Get('failures')
  @Authenticated(Permission.JobsRead)
  @ApiOperation({ summary: 'Background jobs that failed after all their retries (emails, alarms, …), newest first.' })
  @ApiEnvelope(JobFailureDto, { paginated: true })
  async failures(@Query() query: JobFailuresQueryDto): Promise<Paginated<JobFailureDto>> {
    return (await this.queue.listFailures(query)).map(toJobFailureDto);
  }
}
