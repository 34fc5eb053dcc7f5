import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { ErrorEnvelope } from 'src/common/errors/error-envelope';
import { Paginated } from 'src/common/http/envelope';
import { RawResponse } from 'src/common/http/raw-response.decorator';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { DATA_EXPORTS_ORDERING, DataExportsService } from './data-exports.service';
import { DataExportDownloadQueryDto, DataExportDto, DataExportLinkDto } from './privacy.dto';

@ApiTags('privacy')
@Controller('privacy/exports')
export class PrivacyController {
  constructor(private readonly exports: DataExportsService) {}

  @Post()
  @Authenticated()
  @ApiOperation({
    summary: 'Ask for an archive of everything Haven holds about you.',
    description:
      'Answers at once with the export (`pending`); a background job builds the archive, usually within seconds, and you get a notification and an ' +
      'email when it is `ready`. While one is being built, asking again answers that one. The archive is one JSON document: `format`, ' +
      '`generated_at`, `user_id` and `sections`, one per feature that holds something of yours (decrypted). Audited.',
  })
  @ApiEnvelope(DataExportDto, { status: 202 })
  request(@CurrentUser() user: Principal, @ReqContext() context: RequestContext): Promise<DataExportDto> {
    return this.exports.request(user, context);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your exports, newest first.' })
  @ApiOrdering(DATA_EXPORTS_ORDERING)
  @ApiEnvelope(DataExportDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<DataExportDto>> {
    return this.exports.list(user.userId, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One of your exports.' })
  @ApiEnvelope(DataExportDto)
  @ApiError('PRIVACY.EXPORT_NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam() id: string): Promise<DataExportDto> {
    return this.exports.get(user.userId, id);
  }

  @Post(':id/link')
  @Authenticated()
  @ApiOperation({
    summary: 'Make a download link for a ready archive.',
    description: 'The link works once, signed in as you, for `PRIVACY_EXPORT_LINK_TTL_MINUTES` (15) at most; a new link replaces the previous one.',
  })
  @ApiEnvelope(DataExportLinkDto, { status: 201 })
  @ApiError('PRIVACY.EXPORT_NOT_FOUND', 'PRIVACY.EXPORT_NOT_READY')
  link(@CurrentUser() user: Principal, @UuidParam() id: string, @Req() request: FastifyRequest): Promise<DataExportLinkDto> {
    return this.exports.link(user.userId, id, `${request.protocol}://${request.host}`);
  }

  @Get(':id/download')
  @Authenticated()
  @RawResponse()
  @ApiOperation({
    summary: 'Download the archive through a link (once).',
    description: 'Sent as an attachment named `haven-archive-YYYY-MM-DD.json`. Another user’s export: 404; a wrong token: 403; a used, replaced or expired link: 410. Audited.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The archive (JSON).', schema: { type: 'object' } })
  @ApiResponse({ status: 400, description: 'Invalid input; `errors` names each field (`COMMON.VALIDATION_FAILED`).', type: ErrorEnvelope })
  @ApiResponse({ status: 403, description: 'Not a link of this export (`PRIVACY.LINK_INVALID`).', type: ErrorEnvelope })
  @ApiResponse({ status: 404, description: 'No such export of yours (`PRIVACY.EXPORT_NOT_FOUND`).', type: ErrorEnvelope })
  @ApiResponse({ status: 410, description: 'The link was used, replaced or has expired (`PRIVACY.LINK_EXPIRED`).', type: ErrorEnvelope })
  @ApiResponse({ status: 429, description: 'Rate limited (`COMMON.RATE_LIMITED`); retry after `Retry-After` seconds.', type: ErrorEnvelope })
  async download(
    @CurrentUser() user: Principal,
    @UuidParam() id: string,
    @Query() query: DataExportDownloadQueryDto,
    @ReqContext() context: RequestContext,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { filename, json } = await this.exports.download(user, id, query.link, context);
    await reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(json);
  }
}
