import { Body, Controller, Delete, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { WithMessage } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { UuidParam } from 'src/common/validation/uuid-param';
import { DeleteAccountDto, PublicUserDto, UpdateMeDto, UserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'Your account.' })
  @ApiEnvelope(UserDto)
  me(@CurrentUser() principal: Principal): Promise<UserDto> {
    return this.users.me(principal.userId);
  }

  @Patch('me')
  @Authenticated()
  @ApiOperation({
    summary: 'Change your names, username, personality data, email or password.',
    description:
      'Email and password need `current_password`; a new password ends every other session. ' +
      'role, is_verified, id and any other field are refused (400) and nothing changes.',
  })
  @ApiEnvelope(UserDto)
  @ApiError('AUTH.WRONG_PASSWORD', 'AUTH.WEAK_PASSWORD', 'AUTH.SESSION_REQUIRED', 'USERS.EMAIL_TAKEN', 'USERS.USERNAME_TAKEN')
  updateMe(@CurrentUser() principal: Principal, @Body() dto: UpdateMeDto, @ReqContext() context: RequestContext): Promise<UserDto> {
    return this.users.updateMe(principal, dto, context);
  }

  @Delete('me')
  @Authenticated()
  @ApiOperation({
    summary: 'Delete your account (GDPR erasure).',
    description:
      'Needs the password (and a 2FA code when 2FA is on). Personal data is erased, every session and API token ends, and nobody can sign in again.',
  })
  @ApiEnvelope('null')
  @ApiError('AUTH.WRONG_PASSWORD', 'AUTH.WRONG_2FA_CODE', 'AUTH.SESSION_REQUIRED', 'USERS.LAST_ADMIN')
  async deleteMe(
    @CurrentUser() principal: Principal,
    @Body() dto: DeleteAccountDto,
    @ReqContext() context: RequestContext,
  ): Promise<WithMessage<null>> {
    await this.users.deleteMe(principal, dto, context);
    return new WithMessage(null, 'Your account has been deleted.');
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: "Another user's public profile (no email, no personality data)." })
  @ApiEnvelope(PublicUserDto)
  @ApiError('COMMON.NOT_FOUND')
  profile(@UuidParam() id: string): Promise<PublicUserDto> {
    return this.users.publicProfile(id);
  }
}
