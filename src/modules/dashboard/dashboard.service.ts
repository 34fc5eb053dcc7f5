import { Injectable } from '@nestjs/common';
import { Role } from 'src/common/access/permissions';
import { fromMinorUnits } from 'src/common/money/money';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { AlarmStatsService } from 'src/modules/alarms/alarm-stats.service';
import { ChatMembershipService } from 'src/modules/chat/chat-membership.service';
import { ConversationKind } from 'src/modules/chat/chat.types';
import { PaymentsService } from 'src/modules/payments/payments.service';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { SessionsService } from 'src/modules/sessions/sessions.service';
import { SessionStatus } from 'src/modules/sessions/sessions.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { AccountCount, UserStatus } from 'src/modules/users/users.types';
import {
  ACTIVE_CHAT_WINDOW_DAYS,
  AlarmFiguresDto,
  ChatFiguresDto,
  DashboardDto,
  JobFiguresDto,
  TicketFiguresDto,
  QueuesDto,
  RevenueDto,
  RevenueTotalDto,
  RiskFlagFiguresDto,
  SessionFiguresDto,
  SignupFiguresDto,
  UserFiguresDto,
} from './dashboard.dto';
import { TicketsService } from 'src/modules/tickets/tickets.service';

const ROLE_ORDER = [Role.Client, Role.Therapist, Role.Friend, Role.Manager, Role.Admin] as const;

const ageSeconds = (since: Date | null, now: Date): number | null => (since ? Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000)) : null);

/**
 * The operations dashboard. Each figure is one statement (or one Redis round of counts) in
 * the feature that owns the data, reached through its exported service; this module only
 * runs them in parallel and shapes the answer. It reads no table itself. A new section
 * is one more owner method in the `Promise.all` and one DTO field.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly directory: UserDirectoryService,
    private readonly chats: ChatMembershipService,
    private readonly sessions: SessionsService,
    private readonly alarms: AlarmStatsService,
    private readonly riskFlags: RiskFlagsService,
    private readonly queue: QueueService,
    private readonly payments: PaymentsService,
    private readonly tickets: TicketsService,
  ) {}

  /** Every operational figure, measured from one `now`. */
  async dashboard(days: number, now: Date = new Date()): Promise<DashboardDto> {
    const [users, signups, chats, sessions, alarms, riskFlags, tickets, jobs] = await Promise.all([
      this.userFigures(),
      this.signupFigures(days, now),
      this.chatFigures(now),
      this.sessionFigures(now),
      this.alarmFigures(now),
      this.riskFlagFigures(now),
      this.ticketFigures(),
      this.jobFigures(now),
    ]);
    return { generated_at: now.toISOString(), users, signups, chats, sessions, alarms, risk_flags: riskFlags, tickets, jobs };
  }

  /** Succeeded payments of this calendar month (UTC), by plan and currency, as decimal amounts. */
  async revenue(now: Date = new Date()): Promise<RevenueDto> {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const lines = await this.payments.revenueByPlan(from, to);
    const totals = new Map<string, { minor: number; payments: number }>();
    for (const line of lines) {
      const total = totals.get(line.currency) ?? { minor: 0, payments: 0 };
      totals.set(line.currency, { minor: total.minor + line.amountMinor, payments: total.payments + line.payments });
    }
    return {
      generated_at: now.toISOString(),
      month: from.toISOString().slice(0, 7),
      from: from.toISOString(),
      to: to.toISOString(),
      by_plan: lines.map((line) => ({
        plan: line.plan,
        purpose: line.purpose,
        currency: line.currency,
        amount: fromMinorUnits(line.amountMinor, line.currency),
        payments: line.payments,
      })),
      totals: [...totals.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, total]): RevenueTotalDto => ({ currency, amount: fromMinorUnits(total.minor, currency), payments: total.payments })),
    };
  }

  /** Every queue's jobs by state, from BullMQ with Redis or the in-process driver's table without. */
  async queues(now: Date = new Date()): Promise<QueuesDto> {
    const queues = await this.queue.counts();
    return { generated_at: now.toISOString(), driver: this.queue.driverKind, queues };
  }

  private async ticketFigures(): Promise<TicketFiguresDto> {
    const counts = await this.tickets.countsByStatus();
    return { unresolved: counts.open + counts.pending_on_user, ...counts };
  }

  private async userFigures(): Promise<UserFiguresDto> {
    const counts = await this.directory.accountCounts();
    const count = (match: (row: AccountCount) => boolean): number => counts.filter(match).reduce((sum, row) => sum + row.count, 0);
    return {
      total: count((row) => row.status !== UserStatus.Deleted),
      by_role: ROLE_ORDER.map((role) => ({
        role,
        active: count((row) => row.role === role && row.status === UserStatus.Active),
        suspended: count((row) => row.role === role && row.status === UserStatus.Suspended),
        deleted: count((row) => row.role === role && row.status === UserStatus.Deleted),
      })),
      awaiting_verification: {
        therapist: count((row) => row.role === Role.Therapist && row.status === UserStatus.Active && !row.isVerified),
        friend: count((row) => row.role === Role.Friend && row.status === UserStatus.Active && !row.isVerified),
      },
    };
  }

  private async signupFigures(days: number, now: Date): Promise<SignupFiguresDto> {
    const perDay = await this.directory.signupsPerDay(days, now);
    return { days, total: perDay.reduce((sum, day) => sum + day.count, 0), per_day: perDay };
  }

  private async chatFigures(now: Date): Promise<ChatFiguresDto> {
    const counts = await this.chats.activeChatCounts(ACTIVE_CHAT_WINDOW_DAYS, now);
    const direct = counts.get(ConversationKind.Direct) ?? 0;
    const group = counts.get(ConversationKind.Group) ?? 0;
    const support = counts.get(ConversationKind.Support) ?? 0;
    return { window_days: ACTIVE_CHAT_WINDOW_DAYS, active: direct + group + support, direct, group, support };
  }

  private async sessionFigures(now: Date): Promise<SessionFiguresDto> {
    const week = await this.sessions.weekCounts(now);
    const of = (status: SessionStatus): number => week.counts.get(status) ?? 0;
    return {
      week_start: week.weekStart.toISOString(),
      week_end: week.weekEnd.toISOString(),
      total: [...week.counts.values()].reduce((sum, n) => sum + n, 0),
      upcoming: of(SessionStatus.Upcoming),
      completed: of(SessionStatus.Completed),
      cancelled: of(SessionStatus.Cancelled),
      no_show: of(SessionStatus.NoShow),
    };
  }

  private async alarmFigures(now: Date): Promise<AlarmFiguresDto> {
    const stats = await this.alarms.stats();
    return {
      open: stats.open,
      oldest_open_at: stats.oldestOpenAt?.toISOString() ?? null,
      oldest_open_age_seconds: ageSeconds(stats.oldestOpenAt, now),
      undelivered_emails: { queued: stats.emailsQueued, failed: stats.emailsFailed },
    };
  }

  private async riskFlagFigures(now: Date): Promise<RiskFlagFiguresDto> {
    const stats = await this.riskFlags.openStats(now);
    return {
      unresolved: stats.open + stats.acknowledged,
      open: stats.open,
      acknowledged: stats.acknowledged,
      by_severity: {
        moderate: stats.bySeverity.get('moderate') ?? 0,
        high: stats.bySeverity.get('high') ?? 0,
        critical: stats.bySeverity.get('critical') ?? 0,
      },
      by_age: {
        under_1h: stats.byAge.underOneHour,
        from_1h_to_24h: stats.byAge.oneToTwentyFourHours,
        from_1d_to_7d: stats.byAge.oneToSevenDays,
        over_7d: stats.byAge.overSevenDays,
      },
      oldest_first_detected_at: stats.oldestFirstDetectedAt?.toISOString() ?? null,
      oldest_age_seconds: ageSeconds(stats.oldestFirstDetectedAt, now),
    };
  }

  private async jobFigures(now: Date): Promise<JobFiguresDto> {
    const failures = await this.queue.failureCounts(now);
    return { failed_total: failures.total, failed_last_24h: failures.last24h };
  }
}
