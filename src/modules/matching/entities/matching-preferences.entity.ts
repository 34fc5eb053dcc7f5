import type { User } from 'src/modules/users/user.entity';
import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';

/** What a client looks for in a provider: preferred languages, topics (needs) and session types. */
@Entity('matching_preferences')
export class MatchingPreferences {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** ISO 639-1 codes, most preferred first. */
  @Column({ type: 'varchar', length: 2, array: true })
  languages!: string[];

  /** Lower-case tags compared with providers' specialties. */
  @Column({ type: 'varchar', length: 60, array: true })
  topics!: string[];

  @Column({ type: 'varchar', length: 8, array: true })
  sessionTypes!: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
