import './privacy.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { UsersModule } from 'src/modules/users/users.module';
import { DataExportsService } from './data-exports.service';
import { DataExport } from './entities/data-export.entity';
import { PrivacyController } from './privacy.controller';
import { PrivacyPersonalData } from './privacy-personal-data';

/**
 * Privacy rights: data export (access and portability) built from every feature's
 * registered section. Erasure itself runs in users (`DELETE /users/me`) through the same
 * registry.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DataExport]), UsersModule, NotificationsModule],
  controllers: [PrivacyController],
  providers: [PrivacyPersonalData, DataExportsService],
})
export class PrivacyModule {}
