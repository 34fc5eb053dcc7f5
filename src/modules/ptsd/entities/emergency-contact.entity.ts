import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import type { AlarmLanguage } from '../ptsd.types';

/** Someone the user's alarm notifies, in their language. At most 10 per user (checked under the profile's row lock). */
@Entity('emergency_contacts')
@Index('ix_emergency_contacts_user_created', ['userId', 'createdAt'])
@Check('ck_emergency_contacts_language', `"language" IN ('en', 'ru')`)
export class EmergencyContact {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** E.164, normalised. */
  @Column({ type: 'varchar', length: 16 })
  phone!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 60 })
  relationship!: string;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  language!: AlarmLanguage;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
