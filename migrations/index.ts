import type { MigrationInterface } from 'typeorm';
import { DataExports1795332000000 } from './1795332000000-DataExports';
import { RetentionRuns1795330000000 } from './1795330000000-RetentionRuns';
import { Tickets1795328000000 } from './1795328000000-Tickets';
import { EventReminders1795323000000 } from './1795323000000-EventReminders';
import { EncryptedAttachments1795297407835 } from './1795297407835-EncryptedAttachments';
import { DerivedChatPreview1795295848551 } from './1795295848551-DerivedChatPreview';
import { Conversations1795287323170 } from './1795287323170-Conversations';
import { IdentityAndAudit1795285637438 } from './1795285637438-IdentityAndAudit';
import { Init1795284968854 } from './1795284968854-Init';
import { PartialReplyIndex1795297170696 } from './1795297170696-PartialReplyIndex';
import { PrincipalChangeNotices1795300000000 } from './1795300000000-PrincipalChangeNotices';
import { UserTimeZone1795309000000 } from './1795309000000-UserTimeZone';
import { MoodLog1795310000000 } from './1795310000000-MoodLog';
import { Goals1795311000000 } from './1795311000000-Goals';
import { Screeners1795312000000 } from './1795312000000-Screeners';
import { CareTeam1795313000000 } from './1795313000000-CareTeam';
import { PtsdCare1795314000000 } from './1795314000000-PtsdCare';
import { Alarms1795315000000 } from './1795315000000-Alarms';
import { SubscriptionProjection1795315500000 } from './1795315500000-SubscriptionProjection';
import { Providers1795316000000 } from './1795316000000-Providers';
import { Sessions1795317000000 } from './1795317000000-Sessions';
import { Payments1795318000000 } from './1795318000000-Payments';
import { GroupEvents1795319000000 } from './1795319000000-GroupEvents';
import { SessionReminders1795320000000 } from './1795320000000-SessionReminders';
import { Feedback1795321000000 } from './1795321000000-Feedback';
import { Matching1795322000000 } from './1795322000000-Matching';
import { UserLocale1795324000000 } from './1795324000000-UserLocale';
import { Companion1795325000000 } from './1795325000000-Companion';
import { SafetyPlans1795326000000 } from './1795326000000-SafetyPlans';
import { RiskFlags1795327000000 } from './1795327000000-RiskFlags';
import { DashboardIndexes1795329000000 } from './1795329000000-DashboardIndexes';
import { MailSubjects1795331000000 } from './1795331000000-MailSubjects';

/** Every migration, oldest first. `npm run migration:generate -- <Name>` appends to this list. */
export const migrations: Array<new () => MigrationInterface> = [
  Init1795284968854,
  IdentityAndAudit1795285637438,
  Conversations1795287323170,
  DerivedChatPreview1795295848551,
  PartialReplyIndex1795297170696,
  EncryptedAttachments1795297407835,
  PrincipalChangeNotices1795300000000,
  UserTimeZone1795309000000,
  MoodLog1795310000000,
  Goals1795311000000,
  Screeners1795312000000,
  CareTeam1795313000000,
  PtsdCare1795314000000,
  Alarms1795315000000,
  SubscriptionProjection1795315500000,
  Providers1795316000000,
  Sessions1795317000000,
  Payments1795318000000,
  GroupEvents1795319000000,
  SessionReminders1795320000000,
  Feedback1795321000000,
  Matching1795322000000,
  EventReminders1795323000000,
  UserLocale1795324000000,
  Companion1795325000000,
  SafetyPlans1795326000000,
  RiskFlags1795327000000,
  Tickets1795328000000,
  DashboardIndexes1795329000000,
  RetentionRuns1795330000000,
  MailSubjects1795331000000,
  DataExports1795332000000,
];
