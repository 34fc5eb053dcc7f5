import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JobProbeRun } from './job.entities';
import { JobHandler } from './job-handler.decorator';
import { JobPayloads } from './jobs';

/**
 * Diagnostics: a probe job records each run in `job_probe_runs`, and fails its first
 * `failTimes` attempts. Operators (and the queue's tests) use it to see that jobs run
 * exactly once and that retries work on the configured driver.
 */
@Injectable()
export class MaintenanceJobs {
  constructor(@InjectRepository(JobProbeRun) private readonly runs: Repository<JobProbeRun>) {}

  @JobHandler('maintenance.probe')
  async probe(payload: JobPayloads['maintenance.probe'], attempt: number): Promise<void> {
    await this.runs.insert({ probeId: payload.probeId, attempt, succeeded: attempt > (payload.failTimes ?? 0) });
    if (attempt <= (payload.failTimes ?? 0)) throw new Error(`probe ${payload.probeId} failing on purpose (attempt ${attempt})`);
  }
}
