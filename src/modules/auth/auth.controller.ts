import { Body, Controller, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { WithMessage } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import {
  AuthResultDto,
  LoginDto,
  LoginResultDto,
  LoginSecondFactorDto,
  LogoutAllResultDto,
  RefreshDto,
  RegisterDto,
  TokenPairDto,
} from './auth.dto';
import { AuthService, LoginOutcome, SignedIn } from './auth.service';
import { TokenPair } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @RateTier('auth')
  @ApiOperation({
    summary: 'Create an account and sign in.',
    description: 'role: client (default), therapist or friend; therapists and friends start unverified. manager/admin → 400.',
  })
  @ApiEnvelope(AuthResultDto, { status: HttpStatus.CREATED })
  @ApiError('AUTH.WEAK_PASSWORD', 'USERS.EMAIL_TAKEN', 'USERS.USERNAME_TAKEN')
  async register(@Body() dto: RegisterDto, @ReqContext() context: RequestContext): Promise<WithMessage<SignedIn>> {
    return new WithMessage(await this.auth.register(dto, context), 'User registered successfully');
  }

  @Post('login')
  @Public()
  @RateTier('auth')
  @ApiOperation({
    summary: 'Sign in with email or username and password.',
    description:
      'Returns a token pair, or with 2FA on `{requires_2fa: true, challenge_token}` for POST /auth/login/2fa. ' +
      'Repeated failures lock the account for a while (423 with Retry-After).',
  })
  @ApiEnvelope(LoginResultDto)
  @ApiError('AUTH.INVALID_CREDENTIALS', 'AUTH.ACCOUNT_SUSPENDED', 'AUTH.ACCOUNT_LOCKED')
  async login(@Body() dto: LoginDto, @ReqContext() context: RequestContext): Promise<WithMessage<LoginOutcome>> {
    const outcome = await this.auth.login(dto, context);
    return new WithMessage(outcome, outcome.requires_2fa ? 'Enter the code from your authenticator app.' : 'Signed in.');
  }

  @Post('login/2fa')
  @Public()
  @RateTier('auth')
  @ApiOperation({ summary: 'Second step of a 2FA sign-in: the challenge and a TOTP code or a recovery code.' })
  @ApiEnvelope(AuthResultDto)
  @ApiError('AUTH.INVALID_2FA_CODE', 'AUTH.INVALID_TOKEN', 'AUTH.TOKEN_EXPIRED', 'AUTH.ACCOUNT_SUSPENDED', 'AUTH.ACCOUNT_LOCKED')
  async loginSecondFactor(@Body() dto: LoginSecondFactorDto, @ReqContext() context: RequestContext): Promise<WithMessage<SignedIn>> {
    return new WithMessage(await this.auth.loginSecondFactor(dto, context), 'Signed in.');
  }

  @Post('refresh')
  @Public()
  @RateTier('auth')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair (rotation).',
    description: 'The presented token is spent. Presenting a spent token again ends the whole session (AUTH.TOKEN_REUSED).',
  })
  @ApiEnvelope(TokenPairDto)
  @ApiError('AUTH.INVALID_TOKEN', 'AUTH.TOKEN_EXPIRED', 'AUTH.TOKEN_REUSED', 'AUTH.SESSION_REVOKED', 'AUTH.ACCOUNT_SUSPENDED')
  refresh(@Body() dto: RefreshDto, @ReqContext() context: RequestContext): Promise<TokenPair> {
    return this.auth.refresh(dto.refresh, context);
  }

  @Post('logout')
  @Authenticated()
  @ApiOperation({ summary: 'End this session (its access and refresh tokens stop working); with an API token, revoke that token.' })
  @ApiEnvelope('null')
  async logout(@CurrentUser() principal: Principal, @ReqContext() context: RequestContext): Promise<WithMessage<null>> {
    await this.auth.logout(principal, context);
    return new WithMessage(null, 'Signed out.');
  }

  @Post('logout-all')
  @Authenticated()
  @ApiOperation({ summary: 'End every session of the account, this one included. API tokens stay valid.' })
  @ApiEnvelope(LogoutAllResultDto)
  async logoutAll(@CurrentUser() principal: Principal, @ReqContext() context: RequestContext): Promise<WithMessage<LogoutAllResultDto>> {
    const ended = await this.auth.logoutAll(principal, context);
    return new WithMessage({ sessions_ended: ended }, 'Signed out everywhere.');
  }
}
