import './auth.errors';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RequestAuthenticator } from 'src/common/access/principal';
import { AccountSecurity } from 'src/modules/users/account-security';
import { UsersModule } from 'src/modules/users/users.module';
import { AuthPersonalData } from './auth-personal-data';
import { AccountSecurityService } from './account-security.service';
import { ApiToken } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthSession } from './auth-session.entity';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationService } from './authentication.service';
import { PasswordService } from './password.service';
import { RecoveryCode } from './recovery-code.entity';
import { SessionsController } from './sessions.controller';
import { PrincipalCache } from './principal-cache';
import { SessionsService } from './sessions.service';
import { ApiTokenStrategy } from './strategies/api-token.strategy';
import { JwtAccessStrategy } from './strategies/jwt-access.strategy';
import { TokenService } from './token.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';

/**
 * Identity: sign-in, sessions and tokens, 2FA, API tokens. Global, because every module's
 * routes are guarded through the RequestAuthenticator it provides (Passport strategies for
 * `Bearer` JWTs and `Token` API tokens, shared with the Socket.IO handshake). It reads and
 * writes accounts only through the users module's exported services (auth → users, one
 * way); what users needs of it (password checks, ending sessions and tokens) it provides
 * as users' AccountSecurity. Admin uses its password and session services.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuthSession, ApiToken, RecoveryCode]), UsersModule],
  controllers: [AuthController, TwoFactorController, ApiTokensController, SessionsController],
  providers: [
    AuthService,
    AuthenticationService,
    JwtAccessStrategy,
    ApiTokenStrategy,
    { provide: RequestAuthenticator, useExisting: AuthenticationService },
    PasswordService,
    SessionsService,
    PrincipalCache,
    TokenService,
    TwoFactorService,
    ApiTokensService,
    AccountSecurityService,
    AuthPersonalData,
    { provide: AccountSecurity, useExisting: AccountSecurityService },
  ],
  exports: [RequestAuthenticator, AuthenticationService, PasswordService, SessionsService, TokenService, TwoFactorService, ApiTokensService, AccountSecurity],
})
export class AuthModule {}
