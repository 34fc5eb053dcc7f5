import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { JobFailureDto, JobFailuresQueryDto, toJobFailureDto } from 'src/infrastructure/queue/job-failures.dto';
import { JOB_FAILURES_ORDERING, QueueService } from 'src/infrastructure/queue/queue.service';

@ApiTags('admin')
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly queue: QueueService) {}

  @Get('failures')
  @Authenticated(Permission.JobsRead)
  @ApiOperation({ summary: 'Background jobs that failed after all their retries (emails, alarms, …), newest first.' })
  @ApiOrdering(JOB_FAILURES_ORDERING)
  @ApiEnvelope(JobFailureDto, { paginated: true })
  async failures(@Query() query: JobFailuresQueryDto): Promise<Paginated<JobFailureDto>> {
    return (await this.queue.listFailures(query)).map(toJobFailureDto);
  }
}
