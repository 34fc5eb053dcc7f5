import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { UserCard } from 'src/modules/users/users.types';
import type { RiskFlag } from './entities/risk-flag.entity';
import type { RiskFlagDto } from './risk-flags.dto';
import './risk-flags.events';
import type { CrisisSupport, WrittenText } from './risk-flags.types';
import { severityOf } from './risk-severity';

/** Where a detection was written, in words for the people paged (never what was written). */
const SOURCE_WORDS: ReadonlyMap<string, string> = new Map([
  ['chat_message', 'a chat message'],
  ['companion_message', 'a message to the companion'],
  ['mood_entry', 'a mood note'],
  ['goal_progress', 'a goal progress note'],
  ['screener_response', 'a screener answer'],
  ['support_ticket', 'a support ticket'],
]);

export const toRiskFlagDto = (flag: RiskFlag, user: Pick<UserCard, 'firstName' | 'lastName'> | null): RiskFlagDto => ({
  id: flag.id,
  user: { id: flag.userId, first_name: user?.firstName ?? '', last_name: user?.lastName ?? '' },
  source: flag.source,
  conversation_id: flag.conversationId,
  categories: flag.categories,
  severity: severityOf(flag.severityRank),
  confidence: Math.round(flag.confidence * 100) / 100,
  detections: flag.detections,
  status: flag.status,
  first_detected_at: flag.firstDetectedAt.toISOString(),
  last_detected_at: flag.lastDetectedAt.toISOString(),
  ack_deadline_at: flag.ackDeadlineAt.toISOString(),
  escalation_level: flag.escalationLevel,
  acknowledged_by: flag.acknowledgedById,
  acknowledged_at: flag.acknowledgedAt?.toISOString() ?? null,
  resolved_by: flag.resolvedById,
  resolved_at: flag.resolvedAt?.toISOString() ?? null,
  outcome: flag.outcome,
});

/**
 * Who hears of a flag, and how: the writer gets crisis support; their care team and staff get
 * a notification and a socket event, staff also an email; an overdue flag goes to all staff
 * again. Texts say who and where, never what was written.
 */
@Injectable()
export class RiskPager {
  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimeServer,
    private readonly mail: MailService,
    private readonly careTeam: CareTeamService,
    private readonly directory: UserDirectoryService,
  ) {}

  async dto(flag: RiskFlag): Promise<RiskFlagDto> {
    return toRiskFlagDto(flag, await this.directory.find(flag.userId));
  }

  /** A new flag: the care team and on-call staff (every active manager and admin) are paged within seconds. */
  async raised(flag: RiskFlag): Promise<void> {
    const [dto, team, staff] = await Promise.all([this.dto(flag), this.careTeam.crisisTeamOf(flag.userId), this.directory.activeStaffIds()]);
    const who = `${dto.user.first_name} ${dto.user.last_name}`.trim() || 'A user';
    const where = SOURCE_WORDS.get(flag.source) ?? 'something they wrote';
    await this.notifications.notifyUsers([...team, ...staff].filter((id) => id !== flag.userId), {
      title: 'Someone may need help now',
      message: `${who} wrote ${where} that may mean they are in crisis. Please check in.`,
      type: NotificationType.RiskFlag,
      relatedId: flag.id,
    });
    this.realtime.toUsers(team, 'risk_flag_raised', { flag: dto });
    this.realtime.toStaff('risk_flag_raised', { flag: dto });
    await this.emailStaff(staff, flag, `Risk flag: ${who} may be in crisis`, `${who} wrote ${where} that may mean they are in crisis (severity ${dto.severity}).`, 'raised');
  }

  /** Nobody acknowledged in time: every active staff member, again. */
  async escalated(flag: RiskFlag): Promise<void> {
    const [dto, staff] = await Promise.all([this.dto(flag), this.directory.activeStaffIds()]);
    const who = `${dto.user.first_name} ${dto.user.last_name}`.trim() || 'A user';
    const minutes = Math.round((Date.now() - flag.firstDetectedAt.getTime()) / 60_000);
    await this.notifications.notifyUsers(staff.filter((id) => id !== flag.userId), {
      title: 'Unacknowledged risk flag',
      message: `Nobody has acknowledged the risk flag for ${who} yet (raised ${minutes} min ago). Please check in now.`,
      type: NotificationType.RiskFlag,
      relatedId: flag.id,
    });
    this.realtime.toStaff('risk_flag_escalated', { flag: dto });
    await this.emailStaff(staff, flag, `UNACKNOWLEDGED risk flag: ${who}`, `Nobody has acknowledged this flag (raised ${minutes} min ago, severity ${dto.severity}).`, `escalated:${flag.escalationLevel}`);
  }

  /** Acknowledged, noted or resolved: staff pagers can stand down. */
  async updated(flag: RiskFlag): Promise<RiskFlagDto> {
    const dto = await this.dto(flag);
    this.realtime.toStaff('risk_flag_updated', { flag: dto });
    return dto;
  }

  /** The writer, at once: crisis support live, and once per flag as a notification they can come back to. */
  async supportWriter(flag: RiskFlag, written: WrittenText, support: CrisisSupport, firstOfFlag: boolean): Promise<void> {
    this.realtime.toUsers([written.userId], 'crisis_support', { flag_id: flag.id, source: written.source, reference_id: written.referenceId, support });
    if (!firstOfFlag) return;
    await this.notifications.notifyUsers([written.userId], {
      title: 'You are not alone',
      message: 'Help is available right now: open crisis support for helplines in your country and your safety plan.',
      type: NotificationType.CrisisSupport,
      relatedId: flag.id,
    });
  }

  private async emailStaff(staff: string[], flag: RiskFlag, subject: string, summary: string, occasion: string): Promise<void> {
    const link = `${this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`}/api/v1/admin/risk-flags/${flag.id}`;
    const text = `${summary}\n\nOpen the flag, acknowledge it and add what you did: ${link}\n\nAcknowledge by: ${flag.ackDeadlineAt.toISOString()}\n\n— Haven`;
    const addresses = await this.directory.activeEmails(staff);
    await Promise.all([...addresses].map(([staffId, to]) => this.mail.send({ to, subject, text, idempotencyKey: `risk-flag:${flag.id}:${occasion}:${staffId}`, userIds: [staffId, flag.userId] })));
  }
}
