import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { SafetySignalKind } from '../screeners.types';
import { ScreenerResponse } from './screener-response.entity';

/** A screener answer that needs a human check-in (PHQ-9 item 9 above 0); staff list them. */
@Entity('safety_signals')
@Index('uq_safety_signals_response_kind', ['screenerResponseId', 'kind'], { unique: true })
@Index('ix_safety_signals_created', ['createdAt'])
@Index('ix_safety_signals_user_created', ['userId', 'createdAt'])
@Check('ck_safety_signals_kind', `"kind" IN ('phq9_item9')`)
export class SafetySignal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'uuid' })
  screenerResponseId!: string;

  @ManyToOne(() => ScreenerResponse, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'screener_response_id' })
  screenerResponse?: ScreenerResponse;

  @Column({ type: 'varchar', length: 32 })
  kind!: SafetySignalKind;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
