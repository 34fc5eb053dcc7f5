import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { AlarmScenario } from './alarm-scenario.entity';
import { MusicTrack } from './music-track.entity';

/**
 * The PTSD app's user info (seed UserInfo), one per user, created on first write. Its row
 * is also what emergency-contact creation locks, so the contact cap holds under races.
 */
@Entity('ptsd_profiles')
// Deleting a track or scenario looks for the profiles that chose it.
@Index('ix_ptsd_profiles_music_track', ['musicTrackId'])
@Index('ix_ptsd_profiles_scenario', ['scenarioId'])
@Check('ck_ptsd_profiles_age', `"age" BETWEEN 13 AND 120`)
@Check('ck_ptsd_profiles_ptsd_level', `"ptsd_level" BETWEEN 1 AND 5`)
export class PtsdProfile {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  // By name: User is the users module's entity (a type import here); the relation gives the foreign key.
  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'smallint', nullable: true })
  age!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location!: string | null;

  @Column({ type: 'boolean', nullable: true })
  militaryStatus!: boolean | null;

  @Column({ type: 'smallint', nullable: true })
  ptsdLevel!: number | null;

  @Column({ type: 'uuid', nullable: true })
  musicTrackId!: string | null;

  // Deleting a track is refused while someone chose it (it is deactivated instead).
  @ManyToOne(() => MusicTrack, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'music_track_id' })
  musicTrack?: Relation<MusicTrack>;

  @Column({ type: 'uuid', nullable: true })
  scenarioId!: string | null;

  @ManyToOne(() => AlarmScenario, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'scenario_id' })
  scenario?: Relation<AlarmScenario>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
