import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';

/**
 * A verified therapist's or friend's public profile, keyed by their user id. Prices are
 * integer minor units in the profile's one currency; a type with no price is not offered.
 * The rating is maintained by feedback (ProviderProfilesService.recordRating).
 */
@Entity('provider_profiles')
@Check('ck_provider_profiles_buffer', `"buffer_minutes" BETWEEN 0 AND 120`)
@Check('ck_provider_profiles_prices', `COALESCE("price_text_minor", 0) >= 0 AND COALESCE("price_voice_minor", 0) >= 0 AND COALESCE("price_video_minor", 0) >= 0`)
@Check('ck_provider_profiles_rating', `"rating_count" >= 0 AND "rating_sum" >= 0 AND "rating_average" BETWEEN 0 AND 5`)
export class ProviderProfile {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 2000 })
  bio!: string;

  @Column({ type: 'varchar', length: 60, array: true })
  specialties!: string[];

  /** ISO 639-1 codes. */
  @Column({ type: 'varchar', length: 2, array: true })
  languages!: string[];

  @Column({ type: 'integer', nullable: true })
  priceTextMinor!: number | null;

  @Column({ type: 'integer', nullable: true })
  priceVoiceMinor!: number | null;

  @Column({ type: 'integer', nullable: true })
  priceVideoMinor!: number | null;

  /** ISO 4217, upper case. */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** IANA zone the weekly availability rules are written in. */
  @Column({ type: 'varchar', length: 64 })
  timeZone!: string;

  @Column({ type: 'boolean', default: true })
  acceptingNewClients!: boolean;

  /** Free time the provider keeps after each session before the next may start. */
  @Column({ type: 'integer', default: 0 })
  bufferMinutes!: number;

  /** Average of all ratings (0 while there are none: rating_count says so). */
  @Column({ type: 'numeric', precision: 6, scale: 4, default: 0 })
  ratingAverage!: string;

  @Column({ type: 'integer', default: 0 })
  ratingCount!: number;

  /** The sum of all ratings: the average is always sum / count, rounded once (never an average of averages). */
  @Column({ type: 'integer', default: 0 })
  ratingSum!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
