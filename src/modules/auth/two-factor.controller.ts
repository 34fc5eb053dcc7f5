import { Body, Controller, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { WithMessage } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { PasswordConfirmationDto, RecoveryCodesDto, TwoFactorConfirmDto, TwoFactorEnableDto, TwoFactorSetupDto } from './auth.dto';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@Controller('auth/2fa')
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @Authenticated()
  @RateTier('auth')
  @ApiOperation({ summary: 'Start TOTP 2FA: a new secret and otpauth:// URI. Nothing changes until POST /auth/2fa/enable.' })
  @ApiEnvelope(TwoFactorSetupDto)
  @ApiError(HttpStatus.FORBIDDEN, 'Called with an API token (AUTH.SESSION_REQUIRED).')
  @ApiError(HttpStatus.CONFLICT, '2FA is already on.')
  setup(@CurrentUser() principal: Principal, @Body() dto: PasswordConfirmationDto): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(principal, dto.password);
  }

  @Post('enable')
  @Authenticated()
  @RateTier('auth')
  @ApiOperation({ summary: 'Turn 2FA on with a first valid code; returns recovery codes, shown only this once.' })
  @ApiEnvelope(RecoveryCodesDto)
  @ApiError(HttpStatus.CONFLICT, '2FA is already on, or setup was not started.')
  async enable(
    @CurrentUser() principal: Principal,
    @Body() dto: TwoFactorEnableDto,
    @ReqContext() context: RequestContext,
  ): Promise<WithMessage<RecoveryCodesDto>> {
    const codes = await this.twoFactor.enable(principal, dto.code, context);
    return new WithMessage({ recovery_codes: codes }, 'Two-factor authentication is on. Store the recovery codes somewhere safe.');
  }

  @Post('disable')
  @Authenticated()
  @RateTier('auth')
  @ApiOperation({ summary: 'Turn 2FA off; needs the password and a code (or a recovery code).' })
  @ApiEnvelope('null')
  @ApiError(HttpStatus.CONFLICT, '2FA is not on.')
  async disable(
    @CurrentUser() principal: Principal,
    @Body() dto: TwoFactorConfirmDto,
    @ReqContext() context: RequestContext,
  ): Promise<WithMessage<null>> {
    await this.twoFactor.disable(principal, dto.password, dto, context);
    return new WithMessage(null, 'Two-factor authentication is off.');
  }

  @Post('recovery-codes')
  @Authenticated()
  @RateTier('auth')
  @ApiOperation({ summary: 'Replace the recovery codes (the old ones stop working); needs the password and a code.' })
  @ApiEnvelope(RecoveryCodesDto)
  @ApiError(HttpStatus.CONFLICT, '2FA is not on.')
  async regenerate(
    @CurrentUser() principal: Principal,
    @Body() dto: TwoFactorConfirmDto,
    @ReqContext() context: RequestContext,
  ): Promise<RecoveryCodesDto> {
    return { recovery_codes: await this.twoFactor.regenerateRecoveryCodes(principal, dto.password, dto, context) };
  }
}
