import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * What an alarm does: play the user's music, notify their contacts and/or therapist, with
 * the message text per language. Exactly one scenario is the default (the partial unique
 * index holds "at most one"; the service never leaves none), and the default is active.
 */
@Entity('alarm_scenarios')
@Index('uq_alarm_scenarios_default', ['isDefault'], { unique: true, where: 'is_default' })
@Check('ck_alarm_scenarios_default_active', `NOT "is_default" OR "active"`)
export class AlarmScenario {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'boolean', default: true })
  playMusic!: boolean;

  @Column({ type: 'boolean', default: true })
  notifyContacts!: boolean;

  @Column({ type: 'boolean', default: false })
  notifyTherapist!: boolean;

  @Column({ type: 'varchar', length: 1000 })
  messageEn!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  messageRu!: string | null;

  @Column({ type: 'boolean', default: false })
  isDefault!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
