import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { CrisisCategory, RiskFlagStatus, RiskOutcome, RiskSource } from '../risk-flags.types';

/**
 * A person who may be in crisis: raised by the first detection, joined by later ones in the
 * same conversation (or on the same surface) within the join window. It points at what was
 * written (the detections' references), never holds the text.
 */
@Entity('risk_flags')
@Index('ix_risk_flags_triage', ['status', 'severityRank', 'firstDetectedAt'])
@Index('ix_risk_flags_user_scope', ['userId', 'scopeKey', 'lastDetectedAt'])
@Index('ix_risk_flags_escalation_due', ['nextEscalationAt'], { where: `status = 'open'` })
@Check('ck_risk_flags_status', `"status" IN ('open', 'acknowledged', 'resolved')`)
@Check('ck_risk_flags_severity_rank', `"severity_rank" BETWEEN 1 AND 3`)
@Check('ck_risk_flags_outcome', `"outcome" IS NULL OR "outcome" IN ('contacted_safe', 'emergency_services', 'care_team_follow_up', 'false_positive', 'other')`)
@Check('ck_risk_flags_detections', `"detections" >= 1`)
export class RiskFlag {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** Where the first detection was written. */
  @Column({ type: 'varchar', length: 24 })
  source!: RiskSource;

  /** The conversation (chat or companion) it was written in, when there is one. */
  @Column({ type: 'uuid', nullable: true })
  conversationId!: string | null;

  /** What later detections must share to join this flag: the conversation, else the source. */
  @Column({ type: 'varchar', length: 64 })
  scopeKey!: string;

  /** Every category any detection found, strongest first. */
  @Column({ type: 'varchar', length: 24, array: true })
  categories!: CrisisCategory[];

  /** 3 critical, 2 high, 1 moderate: the highest of its detections. */
  @Column({ type: 'smallint' })
  severityRank!: number;

  @Column({ type: 'real' })
  confidence!: number;

  @Column({ type: 'integer', default: 1 })
  detections!: number;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: RiskFlagStatus;

  @Column({ type: 'timestamptz' })
  firstDetectedAt!: Date;

  @Column({ type: 'timestamptz' })
  lastDetectedAt!: Date;

  /** Staff should acknowledge by then; after it, the flag is paged to all staff again. */
  @Column({ type: 'timestamptz' })
  ackDeadlineAt!: Date;

  /** How many times it was paged again for want of an acknowledgement. */
  @Column({ type: 'integer', default: 0 })
  escalationLevel!: number;

  /** When the next re-escalation is due (null once acknowledged or resolved). */
  @Column({ type: 'timestamptz', nullable: true })
  nextEscalationAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  outcome!: RiskOutcome | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
