import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { TherapistContactKind } from '../ptsd.types';

/**
 * The user's therapist for alarms, one per user: someone outside Haven (name, phone and
 * email all given) or a Haven therapist by account (whose name comes from their account).
 */
@Entity('therapist_contacts')
@Index('ix_therapist_contacts_therapist_user', ['therapistUserId'])
@Check('ck_therapist_contacts_kind', `"kind" IN ('external', 'platform')`)
@Check(
  'ck_therapist_contacts_shape',
  `("kind" = 'external' AND "name" IS NOT NULL AND "phone" IS NOT NULL AND "email" IS NOT NULL AND "therapist_user_id" IS NULL) OR ("kind" = 'platform' AND "therapist_user_id" IS NOT NULL AND "name" IS NULL AND "phone" IS NULL AND "email" IS NULL)`,
)
export class TherapistContact {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  kind!: TherapistContactKind;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  /** E.164, normalised. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'uuid', nullable: true })
  therapistUserId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'therapist_user_id' })
  therapistUser?: Relation<User>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
