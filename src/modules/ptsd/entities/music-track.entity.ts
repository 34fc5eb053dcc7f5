import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A calming track of the catalogue staff curate; users pick one to play when they raise an alarm. */
@Entity('music_tracks')
@Check('ck_music_tracks_duration', `"duration_seconds" BETWEEN 1 AND 36000`)
export class MusicTrack {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'int', nullable: true })
  durationSeconds!: number | null;

  /** Inactive tracks are kept for the users who chose them but no longer offered or played. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
