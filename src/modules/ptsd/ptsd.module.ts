import './ptsd.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from 'src/modules/users/users.module';
import { AlarmPlanService } from './alarm-plan.service';
import { AdminAlarmScenariosController, AlarmScenariosController } from './alarm-scenarios.controller';
import { AlarmScenariosService } from './alarm-scenarios.service';
import { EmergencyContactsController } from './emergency-contacts.controller';
import { EmergencyContactsService } from './emergency-contacts.service';
import { AlarmScenario } from './entities/alarm-scenario.entity';
import { EmergencyContact } from './entities/emergency-contact.entity';
import { MusicTrack } from './entities/music-track.entity';
import { PtsdProfile } from './entities/ptsd-profile.entity';
import { TherapistContact } from './entities/therapist-contact.entity';
import { AdminMusicTracksController, MusicTracksController } from './music-tracks.controller';
import { MusicTracksService } from './music-tracks.service';
import { PtsdProfileController } from './ptsd-profile.controller';
import { PtsdProfileService } from './ptsd-profile.service';
import { TherapistContactController } from './therapist-contact.controller';
import { TherapistContactService } from './therapist-contact.service';
import { PtsdPersonalData } from './ptsd-personal-data';

/**
 * The PTSD app: profile, emergency contacts, therapist contact, music and alarm scenarios.
 * The alarms module reads a user's setup through the exported AlarmPlanService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PtsdProfile, EmergencyContact, TherapistContact, MusicTrack, AlarmScenario]), UsersModule],
  controllers: [
    PtsdProfileController,
    EmergencyContactsController,
    TherapistContactController,
    MusicTracksController,
    AdminMusicTracksController,
    AlarmScenariosController,
    AdminAlarmScenariosController,
  ],
  providers: [PtsdPersonalData, AlarmPlanService, PtsdProfileService, EmergencyContactsService, TherapistContactService, MusicTracksService, AlarmScenariosService],
  exports: [AlarmPlanService],
})
export class PtsdModule {}
