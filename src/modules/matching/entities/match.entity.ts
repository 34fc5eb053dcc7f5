import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { MatchStatus } from '../matching.types';

/**
 * A match between a client and a provider (a verified therapist or friend), made by staff.
 * The score is null until the `matching.score` job computed it. One open (pending or
 * accepted) match per pair, held by a partial unique index.
 */
@Entity('matches')
@Check('ck_matches_status', `"status" IN ('pending', 'accepted', 'declined')`)
@Check('ck_matches_score', `"score" BETWEEN 0 AND 100`)
@Check('ck_matches_pair', `"client_id" <> "provider_id"`)
@Index('ux_matches_open_pair', ['clientId', 'providerId'], { unique: true, where: `"status" IN ('pending', 'accepted')` })
@Index('ix_matches_provider', ['providerId', 'createdAt'])
@Index('ix_matches_client', ['clientId', 'createdAt'])
export class Match {
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

  @Column({ type: 'varchar', length: 16, default: MatchStatus.Pending })
  status!: MatchStatus;

  /** 0–100; null until computed. */
  @Column({ type: 'smallint', nullable: true })
  score!: number | null;

  /** Why the score is what it is, one sentence per factor (empty until computed). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reasons!: string[];

  @Column({ type: 'timestamptz', nullable: true })
  scoredAt!: Date | null;

  /** The staff member who made the match; null once their account is gone. */
  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: Relation<User>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
