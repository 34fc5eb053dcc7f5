import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { RiskFlag } from './risk-flag.entity';

/** A staff note on a flag (what they did, whom they reached), encrypted at rest. */
@Entity('risk_flag_notes')
@Index('ix_risk_flag_notes_flag', ['flagId', 'createdAt'])
export class RiskFlagNote {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  flagId!: string;

  @ManyToOne(() => RiskFlag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flag_id' })
  flag?: Relation<RiskFlag>;

  @Column({ type: 'uuid' })
  authorId!: string;

  @Column({ type: 'text' })
  bodyEncrypted!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
