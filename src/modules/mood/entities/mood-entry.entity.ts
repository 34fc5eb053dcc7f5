import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Mood } from '../mood.types';

/**
 * One mood entry. `localDate` is the calendar day of `loggedAt` in the user's time zone
 * when the entry was written (kept in `timeZone`): analytics and streaks group by it, so a
 * later change of time zone does not move old entries. The note is encrypted at rest.
 */
@Entity('mood_entries')
@Index('ix_mood_entries_user_logged', ['userId', 'loggedAt', 'id'])
@Index('ix_mood_entries_user_local_date', ['userId', 'localDate'])
@Check('ck_mood_entries_mood', `"mood" IN ('happy', 'calm', 'content', 'neutral', 'tired', 'sad', 'anxious', 'stressed', 'angry', 'lonely')`)
@Check('ck_mood_entries_intensity', `"intensity" BETWEEN 1 AND 10`)
export class MoodEntry {
  /** Chosen by the service before the insert: the note's ciphertext is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  mood!: Mood;

  @Column({ type: 'smallint', nullable: true })
  intensity!: number | null;

  /** Encrypted (bound to the entry id); null when the entry has no note. */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: string[];

  @Column({ type: 'timestamptz' })
  loggedAt!: Date;

  /** `YYYY-MM-DD`: the day of `loggedAt` in `timeZone`. */
  @Column({ type: 'date' })
  localDate!: string;

  /** The IANA zone `localDate` was computed in. */
  @Column({ type: 'varchar', length: 64 })
  timeZone!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
