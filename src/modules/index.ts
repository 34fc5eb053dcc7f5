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
];
