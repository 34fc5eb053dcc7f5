import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AvailabilityExceptionKind } from '../providers.types';
import { ProviderProfile } from './provider-profile.entity';

/** A dated change to the weekly rules: time off, or extra hours, between two instants. */
@Entity('provider_availability_exceptions')
@Index('ix_provider_availability_exceptions_provider', ['providerId', 'endsAt'])
@Check('ck_provider_availability_exceptions_kind', `"kind" IN ('time_off', 'extra')`)
@Check('ck_provider_availability_exceptions_range', `"starts_at" < "ends_at"`)
export class AvailabilityException {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  providerId!: string;

  @ManyToOne(() => ProviderProfile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Relation<ProviderProfile>;

  @Column({ type: 'varchar', length: 16 })
  kind!: AvailabilityExceptionKind;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
