import { Body, Controller, Delete, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated, WithMessage } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto, toApiTokenDto } from './auth.dto';
import { API_TOKENS_ORDERING, ApiTokensService } from './api-tokens.service';

@ApiTags('auth')
@Controller('auth/api-tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a personal API token for `Authorization: Token <token>`; the token is shown only in this answer.' })
  @ApiEnvelope(CreatedApiTokenDto, { status: HttpStatus.CREATED })
  @ApiError('AUTH.SESSION_REQUIRED')
  async create(
    @CurrentUser() principal: Principal,
    @Body() dto: CreateApiTokenDto,
    @ReqContext() context: RequestContext,
  ): Promise<WithMessage<CreatedApiTokenDto>> {
    const { token, secret } = await this.apiTokens.create(principal, { name: dto.name, expiresInDays: dto.expires_in_days }, context);
    return new WithMessage({ ...toApiTokenDto(token), token: secret }, 'Copy the token now: it is not shown again.');
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your API tokens that are not revoked (never the secret).' })
  @ApiOrdering(API_TOKENS_ORDERING)
  @ApiEnvelope(ApiTokenDto, { paginated: true })
  async list(@CurrentUser() principal: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<ApiTokenDto>> {
    return (await this.apiTokens.list(principal.userId, query)).map(toApiTokenDto);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Revoke one of your API tokens.' })
  @ApiEnvelope('null')
  @ApiError('COMMON.NOT_FOUND')
  async revoke(@CurrentUser() principal: Principal, @UuidParam() id: string, @ReqContext() context: RequestContext): Promise<WithMessage<null>> {
    await this.apiTokens.revoke(principal, id, context);
    return new WithMessage(null, 'API token revoked.');
  }
}
