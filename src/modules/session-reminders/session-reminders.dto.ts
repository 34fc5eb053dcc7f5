import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { REMINDER_STATUSES, ReminderStatus } from './session-reminders.types';

/** One reminder of a session. */
export class SessionReminderDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  session_id!: string;

  @ApiProperty({ minimum: 1, example: 15, description: 'Minutes before the start (SESSION_REMINDER_MINUTES).' })
  offset_minutes!: number;

  @ApiDateTimeProperty({ description: 'When it is (or was) due: the start minus offset_minutes.' })
  due_at!: string;

  @ApiProperty({
    enum: REMINDER_STATUSES,
    description: 'scheduled → sent; cancelled when the session is cancelled or closed; skipped when the time had passed at booking. A reschedule moves it and schedules it again.',
  })
  status!: ReminderStatus;

  @ApiDateTimeProperty({ nullable: true })
  sent_at!: string | null;
}
