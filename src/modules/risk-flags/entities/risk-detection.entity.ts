import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { CrisisCategory, RiskSource } from '../risk-flags.types';
import { RiskFlag } from './risk-flag.entity';

/** One text that raised or joined a flag: where it is, what was found, when. Never the text. */
@Entity('risk_detections')
@Index('ix_risk_detections_flag', ['flagId', 'detectedAt'])
@Index('uq_risk_detections_reference', ['source', 'referenceId'], { unique: true })
export class RiskDetection {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  flagId!: string;

  @ManyToOne(() => RiskFlag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flag_id' })
  flag?: Relation<RiskFlag>;

  @Column({ type: 'varchar', length: 24 })
  source!: RiskSource;

  /** The stored row the text lives in: a message, mood entry, goal progress entry or screener response. */
  @Column({ type: 'uuid' })
  referenceId!: string;

  @Column({ type: 'varchar', length: 24, array: true })
  categories!: CrisisCategory[];

  @Column({ type: 'real' })
  confidence!: number;

  @Column({ type: 'timestamptz' })
  detectedAt!: Date;
}
