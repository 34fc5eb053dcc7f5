import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Role } from 'src/common/access/permissions';
import { ApiDateTimeProperty } from 'src/common/http/api-responses';
import { Optional } from 'src/common/validation/presence';
import { QueueName } from 'src/infrastructure/queue/jobs';
import { PAYMENT_PURPOSES } from 'src/modules/payments/payments.types';

export const SIGNUP_DAYS_DEFAULT = 14;
export const SIGNUP_DAYS_MAX = 90;
/** What the dashboard calls an active chat: a message in the last 7 days (rolling). */
export const ACTIVE_CHAT_WINDOW_DAYS = 7;

const ROLES = Object.values(Role);
/** A count: a whole number from 0. */
const Count = (description?: string): PropertyDecorator =>
  ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647, example: 3, ...(description ? { description } : {}) });
/** An age in whole seconds (null when there is nothing to be old). */
const AgeSeconds = (description: string): PropertyDecorator =>
  ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: 9_007_199_254_740_991, nullable: true, example: 5400, description });

export class DashboardQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: SIGNUP_DAYS_MAX, default: SIGNUP_DAYS_DEFAULT, description: 'How many UTC calendar days of sign-ups, today included.' })
  @Optional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number' })
  @Min(1, { message: 'days must be at least 1' })
  @Max(SIGNUP_DAYS_MAX, { message: `days must be at most ${SIGNUP_DAYS_MAX}` })
  days: number = SIGNUP_DAYS_DEFAULT;
}

/** One role's accounts by status. */
export class RoleCountsDto {
  @ApiProperty({ enum: ROLES })
  role!: Role;

  @Count()
  active!: number;

  @Count()
  suspended!: number;

  @Count('Erased accounts (rows kept only so references stay valid).')
  deleted!: number;
}

export class VerificationQueueCountsDto {
  @Count('Active therapist accounts waiting for staff to verify them.')
  therapist!: number;

  @Count('Active friend accounts waiting for staff to verify them.')
  friend!: number;
}

export class UserFiguresDto {
  @Count('Accounts that are not deleted (active and suspended).')
  total!: number;

  @ApiProperty({ type: [RoleCountsDto], maxItems: ROLES.length, description: 'Every role, in the order client, therapist, friend, manager, admin.' })
  by_role!: RoleCountsDto[];

  @ApiProperty({ type: VerificationQueueCountsDto, description: 'The provider verification queue: list it with `GET /api/v1/admin/users?is_verified=false&status=active&ordering=created_at`.' })
  awaiting_verification!: VerificationQueueCountsDto;
}

export class SignupDayDto {
  @ApiProperty({ type: String, format: 'date', maxLength: 10, example: '2026-12-04', description: 'A UTC calendar day.' })
  day!: string;

  @Count()
  count!: number;
}

export class SignupFiguresDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: SIGNUP_DAYS_MAX, example: SIGNUP_DAYS_DEFAULT })
  days!: number;

  @Count('Sign-ups over those days.')
  total!: number;

  @ApiProperty({ type: [SignupDayDto], maxItems: SIGNUP_DAYS_MAX, description: 'Oldest day first, today last; days without sign-ups as 0.' })
  per_day!: SignupDayDto[];
}

export class ChatFiguresDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 365, example: ACTIVE_CHAT_WINDOW_DAYS, description: 'A chat is active when it is not deleted and its last message was sent within this many days.' })
  window_days!: number;

  @Count('Active chats of every kind.')
  active!: number;

  @Count()
  direct!: number;

  @Count('Support groups.')
  group!: number;

  @Count('User ↔ admin-team support conversations.')
  support!: number;
}

export class SessionFiguresDto {
  @ApiDateTimeProperty({ description: 'Monday 00:00 UTC: the ISO week (in UTC) the dashboard was computed in.' })
  week_start!: string;

  @ApiDateTimeProperty({ description: 'The next Monday 00:00 UTC (exclusive).' })
  week_end!: string;

  @Count('Sessions starting this week, whatever their status.')
  total!: number;

  @Count()
  upcoming!: number;

  @Count()
  completed!: number;

  @Count()
  cancelled!: number;

  @Count()
  no_show!: number;
}

export class UndeliveredEmailsDto {
  @Count('Still queued: waiting for, or between, delivery attempts.')
  queued!: number;

  @Count('Every attempt failed; staff may retry them.')
  failed!: number;
}

export class AlarmFiguresDto {
  @Count('Alarms not resolved yet.')
  open!: number;

  @ApiDateTimeProperty({ nullable: true, description: 'When the oldest open alarm was triggered.' })
  oldest_open_at!: string | null;

  @AgeSeconds('How long the oldest open alarm has been open, in seconds.')
  oldest_open_age_seconds!: number | null;

  @ApiProperty({ type: UndeliveredEmailsDto, description: 'Alarm emails (to contacts and therapists) not delivered.' })
  undelivered_emails!: UndeliveredEmailsDto;
}

export class RiskSeverityCountsDto {
  @Count()
  moderate!: number;

  @Count()
  high!: number;

  @Count()
  critical!: number;
}

export class RiskAgeCountsDto {
  @Count('First detected less than an hour ago.')
  under_1h!: number;

  @Count('First detected 1 to 24 hours ago.')
  from_1h_to_24h!: number;

  @Count('First detected 1 to 7 days ago.')
  from_1d_to_7d!: number;

  @Count('First detected more than 7 days ago.')
  over_7d!: number;
}

export class RiskFlagFiguresDto {
  @Count('Unresolved flags: open plus acknowledged.')
  unresolved!: number;

  @Count('Raised, nobody acknowledged yet.')
  open!: number;

  @Count('Acknowledged by staff, not resolved yet.')
  acknowledged!: number;

  @ApiProperty({ type: RiskSeverityCountsDto, description: 'Unresolved flags by severity.' })
  by_severity!: RiskSeverityCountsDto;

  @ApiProperty({ type: RiskAgeCountsDto, description: 'Unresolved flags by age since first detection.' })
  by_age!: RiskAgeCountsDto;

  @ApiDateTimeProperty({ nullable: true, description: 'When the oldest unresolved flag was first detected.' })
  oldest_first_detected_at!: string | null;

  @AgeSeconds('Age of the oldest unresolved flag, in seconds.')
  oldest_age_seconds!: number | null;
}

export class JobFiguresDto {
  @Count('Jobs that failed for good (after every retry), as listed at `/api/v1/admin/jobs/failures`.')
  failed_total!: number;

  @Count('Of those, the ones that failed in the last 24 hours.')
  failed_last_24h!: number;
}

export class TicketFiguresDto {
  @Count('Tickets waiting for the support team or the user: `open` + `pending_on_user`.')
  unresolved!: number;

  @Count('Waiting for the support team.')
  open!: number;

  @Count('Answered; waiting for the user.')
  pending_on_user!: number;

  @Count()
  resolved!: number;

  @Count()
  closed!: number;
}

/** The operations dashboard: every figure from one statement of its owner, computed in parallel. */
export class DashboardDto {
  @ApiDateTimeProperty({ description: 'When the figures were computed (the `now` every window is measured from).' })
  generated_at!: string;

  @ApiProperty({ type: UserFiguresDto })
  users!: UserFiguresDto;

  @ApiProperty({ type: SignupFiguresDto })
  signups!: SignupFiguresDto;

  @ApiProperty({ type: ChatFiguresDto })
  chats!: ChatFiguresDto;

  @ApiProperty({ type: SessionFiguresDto })
  sessions!: SessionFiguresDto;

  @ApiProperty({ type: AlarmFiguresDto })
  alarms!: AlarmFiguresDto;

  @ApiProperty({ type: RiskFlagFiguresDto })
  risk_flags!: RiskFlagFiguresDto;

  @ApiProperty({ type: TicketFiguresDto })
  tickets!: TicketFiguresDto;

  @ApiProperty({ type: JobFiguresDto })
  jobs!: JobFiguresDto;
}

export class RevenueLineDto {
  @ApiProperty({ type: String, maxLength: 40, nullable: true, example: 'premium', description: "The plan's name for subscription payments; null for event tickets." })
  plan!: string | null;

  @ApiProperty({ enum: PAYMENT_PURPOSES })
  purpose!: string;

  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty({ maxLength: 24, example: '59.97', description: 'Decimal amount in the currency (the money convention).' })
  amount!: string;

  @Count('Succeeded payments in the sum.')
  payments!: number;
}

export class RevenueTotalDto {
  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty({ maxLength: 24, example: '79.96' })
  amount!: string;

  @Count()
  payments!: number;
}

/** Revenue this calendar month (UTC), for admins. */
export class RevenueDto {
  @ApiDateTimeProperty()
  generated_at!: string;

  @ApiProperty({ maxLength: 7, example: '2026-12', description: 'The calendar month in UTC.' })
  month!: string;

  @ApiDateTimeProperty({ description: 'The first day of the month, 00:00 UTC.' })
  from!: string;

  @ApiDateTimeProperty({ description: 'The first day of the next month, 00:00 UTC (exclusive).' })
  to!: string;

  @ApiProperty({ type: [RevenueLineDto], maxItems: 1000, description: 'By plan (then purpose) and currency; amounts are never added across currencies.' })
  by_plan!: RevenueLineDto[];

  @ApiProperty({ type: [RevenueTotalDto], maxItems: 1000, description: 'Per currency, over every plan and purpose.' })
  totals!: RevenueTotalDto[];
}

export class QueueCountsDto {
  @ApiProperty({ enum: Object.values(QueueName) })
  queue!: QueueName;

  @Count('Due now, not started.')
  waiting!: number;

  @Count('Running now.')
  active!: number;

  @Count('Waiting for a later time (a delay or a retry backoff).')
  delayed!: number;

  @Count('Finished (BullMQ keeps 7 days, at most 10,000 a queue; the in-process driver keeps all).')
  completed!: number;

  @Count('Failed for good after every retry (BullMQ keeps 30 days).')
  failed!: number;
}

export class QueuesDto {
  @ApiDateTimeProperty()
  generated_at!: string;

  @ApiProperty({ enum: ['bullmq', 'in-process'], description: 'Where jobs wait: BullMQ on Redis, or the database with in-process runners.' })
  driver!: string;

  @ApiProperty({ type: [QueueCountsDto], maxItems: Object.values(QueueName).length, description: 'Every queue, in a fixed order.' })
  queues!: QueueCountsDto[];
}
