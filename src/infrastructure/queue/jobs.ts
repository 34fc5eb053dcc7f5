/** Queues, one per kind of work, so a slow kind never holds up another. */
export enum QueueName {
  Email = 'email',
  Alarms = 'alarms',
  Matching = 'matching',
  /** Reminders before sessions and group events (delayed jobs). */
  Reminders = 'reminders',
  Maintenance = 'maintenance',
}

/**
 * Every job Haven runs and its payload. Payloads carry ids, never message text or
 * personal data: the handler loads what it needs, so a payload is safe to log and store.
 */
export interface JobPayloads {
  'email.send': { mailId: string };
  /** One alarm delivery (an email to a contact or therapist, or a platform therapist's in-app alert). */
  'alarm.deliver': { deliveryId: string };
  /** Pages all staff again about a risk flag nobody acknowledged by its deadline (level 1, 2, … each once). */
  'risk.escalate': { flagId: string; level: number };
  /** One reminder before a session; the reminder row says whether it is still due (rescheduled or cancelled sessions). */
  'session.remind': { reminderId: string };
  /** One reminder before a group event, to its seat holders; the reminder row says whether it is still due. */
  'event.remind': { reminderId: string };
  /** Computes one match's compatibility score and reasons, then tells both sides. */
  'matching.score': { matchId: string };
  /** Recomputes the scores involving a user after their profile changed (debounced by the job key). */
  'matching.recompute': { userId: string };
  /** Builds one user's data archive (the export row says whose). */
  'privacy.export': { exportId: string };
  /** Deletes what is past its retention period (run by a scheduler, once per interval across all processes). */
  'maintenance.retention': Record<string, never>;
  /** Test and diagnostics job; also used by the queue's own tests. */
  'maintenance.probe': { probeId: string; failTimes?: number };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'email.send': QueueName.Email,
  'alarm.deliver': QueueName.Alarms,
  'risk.escalate': QueueName.Alarms,
  'session.remind': QueueName.Reminders,
  'event.remind': QueueName.Reminders,
  'matching.score': QueueName.Matching,
  'matching.recompute': QueueName.Matching,
  'privacy.export': QueueName.Maintenance,
  'maintenance.retention': QueueName.Maintenance,
  'maintenance.probe': QueueName.Maintenance,
};

export interface EnqueueOptions {
  /** Idempotency key: a second job with the same name and key is not queued again. */
  key: string;
  delayMs?: number;
}

export interface RetryPolicy {
  attempts: number;
  /** First retry after this many ms, doubling each time. */
  backoffMs: number;
}

/** One queue's jobs by state (the admins' queue view). */
export interface QueueCounts {
  queue: QueueName;
  /** Due now, not started. */
  waiting: number;
  /** Running now. */
  active: number;
  /** Waiting for a later time: a delay, or the backoff before a retry. */
  delayed: number;
  /** Finished. BullMQ keeps completed jobs 7 days (at most 10,000 a queue); the in-process driver keeps them all. */
  completed: number;
  /** Failed for good after every retry (BullMQ keeps them 30 days; the in-process driver keeps them all). */
  failed: number;
}

export interface QueueHealth {
  driver: 'bullmq' | 'in-process';
  status: 'healthy' | 'unhealthy';
  waiting?: number;
  failed?: number;
}
