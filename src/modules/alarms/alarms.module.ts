import './alarms.errors';
import './alarms.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CareTeamModule } from 'src/modules/care-team/care-team.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { PtsdModule } from 'src/modules/ptsd/ptsd.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AlarmAcknowledgementsController } from './alarm-acknowledgements.controller';
import { AlarmDeliveriesService } from './alarm-deliveries.service';
import { AlarmsController } from './alarms.controller';
import { AlarmsService } from './alarms.service';
import { AlarmStatsService } from './alarm-stats.service';
import { AlarmDelivery } from './entities/alarm-delivery.entity';
import { Alarm } from './entities/alarm.entity';
import { AlarmsPersonalData } from './alarms-personal-data';

/**
 * Alarms (the PTSD app's Event API): a trigger that answers at once, one delivery per
 * recipient and channel run as jobs on the alarms queue, acknowledgement links, and
 * resolution. The user's setup (scenario, track, contacts, therapist) is the ptsd
 * module's, read through its AlarmPlanService. Exports AlarmStatsService (the
 * operations dashboard's figures).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Alarm, AlarmDelivery]), PtsdModule, CareTeamModule, NotificationsModule, UsersModule],
  controllers: [AlarmsController, AlarmAcknowledgementsController],
  providers: [AlarmsPersonalData, AlarmsService, AlarmDeliveriesService, AlarmStatsService],
  exports: [AlarmStatsService],
})
export class AlarmsModule {}
