import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ScreenerInstrument, ScreenerSeverity } from '../screeners.types';

/** One completed questionnaire: the answers (0-3 each) with the score and band computed when stored. */
@Entity('screener_responses')
@Index('ix_screener_responses_user_created', ['userId', 'createdAt'])
@Check('ck_screener_responses_instrument', `"instrument" IN ('phq9', 'gad7')`)
@Check(
  'ck_screener_responses_answers',
  `cardinality("answers") = CASE "instrument" WHEN 'phq9' THEN 9 WHEN 'gad7' THEN 7 END AND 0 <= ALL("answers") AND 3 >= ALL("answers")`,
)
@Check('ck_screener_responses_severity', `"severity" IN ('minimal', 'mild', 'moderate', 'moderately_severe', 'severe')`)
@Check('ck_screener_responses_total_score', `"total_score" BETWEEN 0 AND 27`)
export class ScreenerResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 8 })
  instrument!: ScreenerInstrument;

  /** Item answers in the instrument's order. */
  @Column({ type: 'smallint', array: true })
  answers!: number[];

  @Column({ type: 'smallint' })
  totalScore!: number;

  @Column({ type: 'varchar', length: 24 })
  severity!: ScreenerSeverity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
