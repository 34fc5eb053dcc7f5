import type { User } from 'src/modules/users/user.entity';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/**
 * Messages a user sent to the companion on one calendar day of their time zone. The
 * quota is held by one conditional increment of this row (companion.sql.ts).
 */
@Entity('companion_usage')
@Check('ck_companion_usage_count', `"count" >= 0`)
export class CompanionUsage {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** `YYYY-MM-DD` in the user's time zone when they sent. */
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'int', default: 0 })
  count!: number;
}
