import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { GroupsModule } from './groups/groups.module';
import { SupportModule } from './support/support.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { UsersModule } from './users/users.module';
import { CareTeamModule } from './care-team/care-team.module';
import { MoodModule } from './mood/mood.module';
import { GoalsModule } from './goals/goals.module';
import { ScreenersModule } from './screeners/screeners.module';
import { PtsdModule } from './ptsd/ptsd.module';
import { AlarmsModule } from './alarms/alarms.module';
import { ProvidersModule } from './providers/providers.module';
import { SessionsModule } from './sessions/sessions.module';
import { PaymentsModule } from './payments/payments.module';
import { GroupEventsModule } from './group-events/group-events.module';
import { SafetyModule } from './safety/safety.module';
import { SessionRemindersModule } from './session-reminders/session-reminders.module';
import { FeedbackModule } from './feedback/feedback.module';
import { MatchingModule } from './matching/matching.module';
import { SafetyPlansModule } from './safety-plans/safety-plans.module';
import { RiskFlagsModule } from './risk-flags/risk-flags.module';
import { CompanionModule } from './companion/companion.module';
import { PrivacyModule } from './privacy/privacy.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { RetentionModule } from './retention/retention.module';
import { TicketsModule } from './tickets/tickets.module';

/** Every feature module, in one list for the app module. */
export const FEATURE_MODULES = [
  HealthModule,
  AuditModule,
  AuthModule,
  UsersModule,
  AdminModule,
  NotificationsModule,
  ChatModule,
  GroupsModule,
  SupportModule,
  CareTeamModule,
  MoodModule,
  GoalsModule,
  ScreenersModule,
  PtsdModule,
  AlarmsModule,
  ProvidersModule,
  SessionsModule,
  PaymentsModule,
  GroupEventsModule,
  SafetyModule,
  SessionRemindersModule,
  FeedbackModule,
  MatchingModule,
  SafetyPlansModule,
  RiskFlagsModule,
  CompanionModule,
  PrivacyModule,
  DashboardModule,
  RetentionModule,
  TicketsModule,
];
