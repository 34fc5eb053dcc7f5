import { Module } from '@nestjs/common';
import { AlarmsModule } from 'src/modules/alarms/alarms.module';
import { ChatModule } from 'src/modules/chat/chat.module';
import { PaymentsModule } from 'src/modules/payments/payments.module';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { SessionsModule } from 'src/modules/sessions/sessions.module';
import { UsersModule } from 'src/modules/users/users.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { TicketsModule } from 'src/modules/tickets/tickets.module';

/**
 * The admin dashboard (`/api/v1/admin/dashboard`, `/admin/dashboard/revenue`, `/admin/queues`).
 * It sits above the features whose figures it shows and reads them only through their
 * exported services (nothing imports this module). It throws no codes of its own (bad
 * input is the shared COMMON.VALIDATION_FAILED), hence no errors file.
 */
@Module({
  imports: [UsersModule, ChatModule, SessionsModule, AlarmsModule, RiskFlagsModule, PaymentsModule, TicketsModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
