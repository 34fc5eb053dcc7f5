import { Body, Controller, Post } from '@nestjs/common';
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
  @ApiError('AUTH.WRONG_PASSWORD', 'AUTH.SESSION_REQUIRED', 'AUTH.TWO_FACTOR_ALREADY_ENABLED')
  setup(@CurrentUser() principal: Principal, @Body() dto: PasswordConfirmationDto): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(principal, dto.password);
  }

  @Post('enable')
  @Authenticated()
  @RateTier('auth')
  @ApiOperation({ summary: 'Turn 2FA on with a first valid code; returns recovery codes, shown only this once.' })
  @ApiEnvelope(RecoveryCodesDto)
  @ApiError('AUTH.WRONG_2FA_CODE', 'AUTH.SESSION_REQUIRED', 'AUTH.TWO_FACTOR_ALREADY_ENABLED', 'AUTH.TWO_FACTOR_NOT_SET_UP')
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
  @ApiError('AUTH.WRONG_PASSWORD', 'AUTH.WRONG_2FA_CODE', 'AUTH.SESSION_REQUIRED', 'AUTH.TWO_FACTOR_NOT_ENABLED')
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
  @ApiError('AUTH.WRONG_PASSWORD', 'AUTH.WRONG_2FA_CODE', 'AUTH.SESSION_REQUIRED', 'AUTH.TWO_FACTOR_NOT_ENABLED')
  async regenerate(
    @CurrentUser() principal: Principal,
    @Body() dto: TwoFactorConfirmDto,
    @ReqContext() context: RequestContext,
  ): Promise<RecoveryCodesDto> {
    return { recovery_codes: await this.twoFactor.regenerateRecoveryCodes(principal, dto.password, dto, context) };
  }
}
