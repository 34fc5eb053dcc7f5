import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ProviderProfile } from './provider-profile.entity';

/** One weekly interval of availability, in the provider's local time (ISO weekday 1 = Monday … 7 = Sunday). */
@Entity('provider_availability_rules')
@Index('ix_provider_availability_rules_provider', ['providerId', 'weekday'])
@Check('ck_provider_availability_rules_weekday', `"weekday" BETWEEN 1 AND 7`)
@Check('ck_provider_availability_rules_minutes', `"start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"`)
export class AvailabilityRule {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  providerId!: string;

  @ManyToOne(() => ProviderProfile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Relation<ProviderProfile>;

  @Column({ type: 'smallint' })
  weekday!: number;

  /** Minutes after local midnight. */
  @Column({ type: 'smallint' })
  startMinute!: number;

  @Column({ type: 'smallint' })
  endMinute!: number;
}
