import './providers.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from 'src/modules/users/users.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { BusyTime } from './busy-time';
import { AvailabilityException } from './entities/availability-exception.entity';
import { AvailabilityRule } from './entities/availability-rule.entity';
import { ProviderProfile } from './entities/provider-profile.entity';
import { ProviderDirectory } from './provider-directory';
import { ProviderProfilesService } from './provider-profiles.service';
import { ProvidersController } from './providers.controller';
import { ProvidersPersonalData } from './providers-personal-data';

/**
 * Provider profiles, the directory, weekly availability with exceptions, and free slots.
 * Exports what booking needs (bookable provider, availability check), the rating feedback
 * records, and BusyTime, where the sessions module registers the booked time.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ProviderProfile, AvailabilityRule, AvailabilityException]), UsersModule],
  // The availability routes are more specific than /providers/:id: register them first.
  controllers: [AvailabilityController, ProvidersController],
  providers: [ProvidersPersonalData, ProviderProfilesService, AvailabilityService, ProviderDirectory, BusyTime],
  exports: [ProviderProfilesService, AvailabilityService, BusyTime],
})
export class ProvidersModule {}
