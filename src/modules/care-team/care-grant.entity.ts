import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CareScope } from './care-team.types';

/**
 * A client's grant to one therapist to read some of their self-care data. At most one
 * active grant per pair (the partial unique index); revoking keeps the row, so the
 * history of who could read what stays listed.
 */
@Entity('care_grants')
@Index('uq_care_grants_active_pair', ['clientId', 'therapistId'], { unique: true, where: 'revoked_at IS NULL' })
@Index('ix_care_grants_therapist', ['therapistId', 'revokedAt'])
@Check('ck_care_grants_scopes', `cardinality("scopes") > 0`)
export class CareGrant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  clientId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Relation<User>;

  @Column({ type: 'uuid' })
  therapistId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'therapist_id' })
  therapist?: Relation<User>;

  @Column({ type: 'varchar', length: 16, array: true })
  scopes!: CareScope[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  updatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
