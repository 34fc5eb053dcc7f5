import type { User } from 'src/modules/users/user.entity';
import type { SessionType } from 'src/modules/providers/providers.types';
import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { SessionStatus } from '../sessions.types';

export const PROVIDER_BUSY_CONSTRAINT = 'ex_care_sessions_provider_busy';
export const CLIENT_OVERLAP_CONSTRAINT = 'ex_care_sessions_client_overlap';

/**
 * A booked session (HumanLink session, SafeTalk appointment). No double booking is held by
 * two exclusion constraints on upcoming sessions: the provider's busy range (the session
 * plus their buffer, `busy_until`) and the client's session range. Notes, description and
 * the cancel reason are encrypted at rest, bound to the session id.
 */
@Entity('care_sessions')
// btree_gist gives uuid its gist `=` (loaded in PostgreSQL by the migration, and in the embedded database at start).
@Exclusion(PROVIDER_BUSY_CONSTRAINT, `USING gist ("provider_id" WITH =, tstzrange("starts_at", "busy_until") WITH &&) WHERE ("status" = 'upcoming')`)
@Exclusion(CLIENT_OVERLAP_CONSTRAINT, `USING gist ("client_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" = 'upcoming')`)
@Index('ix_care_sessions_client_starts', ['clientId', 'startsAt'])
// The free-slot search's busy-time read: a provider's upcoming sessions by start.
@Index('ix_care_sessions_provider_upcoming', ['providerId', 'startsAt'], { where: `status = 'upcoming'` })
// The operations dashboard's sessions of the week: every session starting in a time range.
@Index('ix_care_sessions_starts', ['startsAt'])
@Check('ck_care_sessions_status', `"status" IN ('upcoming', 'completed', 'cancelled', 'no_show')`)
@Check('ck_care_sessions_type', `"type" IN ('text', 'voice', 'video')`)
@Check('ck_care_sessions_duration', `"duration_minutes" BETWEEN 15 AND 240 AND "ends_at" > "starts_at" AND "busy_until" >= "ends_at"`)
@Check('ck_care_sessions_price', `"price_minor" >= 0`)
export class CareSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  clientId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Relation<User>;

  @Column({ type: 'uuid' })
  providerId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Relation<User>;

  @Column({ type: 'varchar', length: 8 })
  type!: SessionType;

  @Column({ type: 'varchar', length: 16, default: SessionStatus.Upcoming })
  status!: SessionStatus;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  /** ends_at plus the provider's buffer at booking time: the range the provider's constraint holds. */
  @Column({ type: 'timestamptz' })
  busyUntil!: Date;

  @Column({ type: 'integer' })
  durationMinutes!: number;

  @Column({ type: 'integer', default: 0 })
  bufferMinutes!: number;

  /** From the provider's profile at booking, never from the client. */
  @Column({ type: 'integer' })
  priceMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  @Column({ type: 'text', nullable: true })
  descriptionEncrypted!: string | null;

  @Column({ type: 'text', nullable: true })
  notesEncrypted!: string | null;

  /** The direct chat between the two (the chat module's conversation id). */
  @Column({ type: 'uuid', nullable: true })
  chatId!: string | null;

  /** The unguessable meeting room name of a voice or video session. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  meetingRoom!: string | null;

  @Column({ type: 'uuid', nullable: true })
  cancelledById!: string | null;

  @Column({ type: 'text', nullable: true })
  cancelReasonEncrypted!: string | null;

  /** Cancelled inside the notice window (config.sessions.cancelNoticeHours before the start). */
  @Column({ type: 'boolean', default: false })
  lateCancellation!: boolean;

  /** When it was cancelled, completed or marked a no-show. */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
