import { Controller, Get, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { RawResponse } from 'src/common/http/raw-response.decorator';
import { UuidParam } from 'src/common/validation/uuid-param';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { ATTACHMENT_MAX_BYTES_LIMIT, AttachmentDto } from './chat.dto';
import { AttachmentsService } from './attachments.service';

/**
 * The one file of a multipart upload, read whole. Everything that can go wrong here is the
 * client's body (too large, cut off, malformed), so each answers 4xx, never 500.
 */
async function readUploadedFile(request: FastifyRequest): Promise<{ filename: string; buffer: Buffer }> {
  if (!request.isMultipart()) throw new AppException('COMMON.UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field `file`.');
  try {
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw AppException.validation('file', 'a file in the field `file` is required');
    if (/[\u0000-\u001f\u007f]/.test(part.filename)) throw AppException.validation('file', 'the file name must not contain control characters');
    return { filename: part.filename, buffer: await part.toBuffer() };
  } catch (error) {
    if (error instanceof AppException) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppException('CHAT.ATTACHMENT_TOO_LARGE', 'The file is too large.');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppException('COMMON.BAD_REQUEST', 'Send one file in the field `file` and nothing else.');
    }
    throw new AppException('COMMON.BAD_REQUEST', 'The multipart body is malformed or ended early; send the whole file again.');
  }
}

const FILE_SIZE = 'At most ATTACHMENT_MAX_BYTES bytes (default 10 MiB; no deployment allows more than 100 MiB).';

@ApiTags('chats')
@Controller('chats/:id/attachments')
@Authenticated()
@RateTier('chat')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @ApiOperation({ summary: 'Upload a file (multipart, field `file`) to use in an image or file message.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', maxLength: ATTACHMENT_MAX_BYTES_LIMIT, description: FILE_SIZE } },
    },
  })
  @ApiEnvelope(AttachmentDto, { status: HttpStatus.CREATED })
  @ApiError('COMMON.BAD_REQUEST', 'CHAT.NOT_FOUND', 'CHAT.ATTACHMENT_TOO_LARGE', 'CHAT.ATTACHMENT_TYPE', 'COMMON.UNSUPPORTED_MEDIA_TYPE')
  async upload(@CurrentUser() user: Principal, @UuidParam('id', 'Chat id.') id: string, @Req() request: FastifyRequest): Promise<AttachmentDto> {
    return this.attachments.upload(user, id, await readUploadedFile(request));
  }

  @Get(':attachmentId')
  @RawResponse()
  @ApiOperation({ summary: 'Download an attachment (participants only).' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: 'The file, with its sniffed content type.',
    schema: { type: 'string', format: 'binary', maxLength: ATTACHMENT_MAX_BYTES_LIMIT, description: FILE_SIZE },
  })
  @ApiError('COMMON.VALIDATION_FAILED', 'CHAT.NOT_FOUND', 'CHAT.ATTACHMENT_NOT_FOUND', 'COMMON.RATE_LIMITED')
  async download(
    @CurrentUser() user: Principal,
    @UuidParam('id', 'Chat id.') id: string,
    @UuidParam('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { attachment, content } = await this.attachments.open(user, id, attachmentId);
    await reply
      .header('content-type', attachment.mimeType)
      .header('content-length', content.length)
      .header('content-disposition', `attachment; filename="${encodeURIComponent(attachment.originalName)}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(content);
  }
}
