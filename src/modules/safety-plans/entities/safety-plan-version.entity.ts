import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, type Relation } from 'typeorm';

/**
 * One version of a user's safety plan; the newest is the plan. Versions are never changed:
 * each save inserts the next one, and the unique (user_id, version) pair is what lets only
 * one of two saves from the same base win. The sections are one encrypted JSON document,
 * bound to the row (id, user and version), so it does not decrypt anywhere else.
 */
@Entity('safety_plan_versions')
@Unique('uq_safety_plan_versions_user_version', ['userId', 'version'])
@Check('ck_safety_plan_versions_version', '"version" >= 1')
export class SafetyPlanVersion {
  /** Chosen by the service before the insert: the content's ciphertext is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'integer' })
  version!: number;

  /** The plan's sections as encrypted JSON. */
  @Column({ type: 'text' })
  content!: string;

  /** Who wrote this version: the user or a therapist on their care team. */
  @Column({ type: 'uuid' })
  updatedBy!: string;

  // Accounts are deactivated, not deleted, so the author's row stays; the key keeps the id honest.
  @ManyToOne('User', { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'updated_by' })
  author?: Relation<User>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
