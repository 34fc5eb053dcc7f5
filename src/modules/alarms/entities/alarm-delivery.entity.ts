import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { DeliveryChannel, DeliveryPurpose, DeliveryRecipient, DeliveryStatus } from '../alarms.types';
import { Alarm } from './alarm.entity';

/**
 * One recipient and channel of one alarm: the idempotency key of its job. A job sends only
 * while the row is `queued` and records `sent` after the server accepted the message; the
 * mail itself is keyed by this row's id, so a retried job never sends it twice once sent.
 */
@Entity('alarm_deliveries')
@Index('uq_alarm_deliveries_recipient', ['alarmId', 'purpose', 'recipientKey', 'channel'], { unique: true })
@Index('ix_alarm_deliveries_contact_created', ['contactId', 'createdAt'])
@Index('ix_alarm_deliveries_status_created', ['status', 'createdAt'])
@Check('ck_alarm_deliveries_status', `"status" IN ('queued', 'sent', 'failed', 'acknowledged', 'suppressed')`)
@Check('ck_alarm_deliveries_attempts', `"attempts" >= 0`)
export class AlarmDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  alarmId!: string;

  @ManyToOne(() => Alarm, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alarm_id' })
  alarm?: Relation<Alarm>;

  @Column({ type: 'varchar', length: 16, default: DeliveryPurpose.Alarm })
  purpose!: DeliveryPurpose;

  @Column({ type: 'varchar', length: 16 })
  recipientKind!: DeliveryRecipient;

  /** `contact:<id>`, `therapist:external` or `therapist:<user id>`: one delivery per recipient, purpose and channel. */
  @Column({ type: 'varchar', length: 80 })
  recipientKey!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: DeliveryChannel;

  /** The emergency contact (the ptsd module's), when the recipient is one; kept as a plain id so a deleted contact keeps its history. */
  @Column({ type: 'uuid', nullable: true })
  contactId!: string | null;

  /** A Haven therapist's user id (in-app deliveries and their email). */
  @Column({ type: 'uuid', nullable: true })
  therapistUserId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  recipientName!: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  relationship!: string | null;

  /** Where the email goes, encrypted at rest (bound to the delivery id). */
  @Column({ type: 'text', nullable: true })
  addressEncrypted!: string | null;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  language!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  /** After this the acknowledgement link is refused. */
  @Column({ type: 'timestamptz', nullable: true })
  ackExpiresAt!: Date | null;
}
