import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AlarmStatus } from '../alarms.types';

/**
 * An alarm a user raised. What it did is frozen at trigger time (the scenario's choices,
 * the track), so later catalogue changes do not rewrite history. The location is
 * encrypted at rest and never logged.
 */
@Entity('alarms')
@Index('ix_alarms_user_triggered', ['userId', 'triggeredAt'])
@Index('ix_alarms_triggered', ['triggeredAt'])
// The operations dashboard's open alarms (count and oldest) without reading the resolved ones.
@Index('ix_alarms_open', ['triggeredAt'], { where: `status = 'open'` })
@Index('uq_alarms_user_client_request', ['userId', 'clientRequestId'], { unique: true, where: 'client_request_id IS NOT NULL' })
@Check('ck_alarms_status', `"status" IN ('open', 'resolved')`)
export class Alarm {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16, default: AlarmStatus.Open })
  status!: AlarmStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  clientRequestId!: string | null;

  /** `{latitude?, longitude?, text?}` as JSON, encrypted (bound to the alarm id). */
  @Column({ type: 'text', nullable: true })
  locationEncrypted!: string | null;

  @Column({ type: 'uuid', nullable: true })
  scenarioId!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  scenarioName!: string | null;

  /** The scenario's message as it was when the alarm was raised, with `{first_name}`-style placeholders. */
  @Column({ type: 'text' })
  messageEn!: string;

  @Column({ type: 'text', nullable: true })
  messageRu!: string | null;

  @Column({ type: 'boolean', default: false })
  playMusic!: boolean;

  @Column({ type: 'varchar', length: 120, nullable: true })
  trackName!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  trackUrl!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  triggeredAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedById!: string | null;
}
