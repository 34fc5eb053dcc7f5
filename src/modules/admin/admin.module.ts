import './admin.errors';
import { Module } from '@nestjs/common';
import { UsersModule } from 'src/modules/users/users.module';
import { AdminJobsController } from './admin-jobs.controller';
import { AdminController, UsersDirectoryController } from './admin.controller';
import { AdminUsersService } from './admin-users.service';

/** Staff tools (`/api/v1/admin`). The audit-log route lives in the audit module. */
@Module({
  imports: [UsersModule],
  controllers: [AdminController, AdminJobsController, UsersDirectoryController],
  providers: [AdminUsersService],
  exports: [AdminUsersService],
})
export class AdminModule {}
