import './users.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountErasure, UsersPersonalData } from './account-erasure';
import { PersonalDataRegistry } from './personal-data';
import { ProfileChangeHooks } from './profile-change-hooks';
import { UserCredentialsService } from './user-credentials.service';
import { UserDirectoryService } from './user-directory.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/**
 * Accounts and profiles: the one module that reads and writes `users` rows. Other features
 * use its exported services: UsersService (accounts), UserDirectoryService (who a user is,
 * staff lists), UserCredentialsService (the sign-in columns, for auth) and ProfileChangeHooks
 * (told when a user's matching data changed) and PersonalDataRegistry (where every feature
 * registers what erasing an account does to its tables). The credential
 * checks and session endings it needs come through AccountSecurity, provided by the
 * (global) auth module: users imports nothing of auth.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController],
  providers: [UsersService, UserDirectoryService, UserCredentialsService, ProfileChangeHooks, PersonalDataRegistry, AccountErasure, UsersPersonalData],
  exports: [UsersService, UserDirectoryService, UserCredentialsService, ProfileChangeHooks, PersonalDataRegistry],
})
export class UsersModule {}
