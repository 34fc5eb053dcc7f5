import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fileTypeFromBuffer } from 'file-type';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';
import { EntityManager, In, Repository } from 'typeorm';
import { ChatAccessService } from './chat-access.service';
import { AttachmentDto } from './chat.dto';
import { Attachment } from './entities/attachment.entity';
import { MessageCipher } from './message-cipher.service';

/** What may be uploaded, by the type sniffed from the bytes (the client's Content-Type is not trusted). */
export const ALLOWED_ATTACHMENT_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'text/plain',
]);

export interface UploadedFile {
  filename: string;
  buffer: Buffer;
}

const looksLikeText = (buffer: Buffer): boolean => {
  const sample = buffer.subarray(0, 4096);
  return !sample.includes(0) && Buffer.from(sample.toString('utf8'), 'utf8').equals(sample);
};

/** An attachment as clients see it, with the authorised download URL. */
export const toAttachmentDto = (a: Attachment): AttachmentDto => ({
  id: a.id,
  url: `/api/v1/chats/${a.conversationId}/attachments/${a.id}`,
  name: a.originalName,
  size: a.size,
  mime_type: a.mimeType,
});

/**
 * Chat attachments on local disk (UPLOADS_DIR), under random names, encrypted, outside
 * any static route: the only way to read one is the authorised download endpoint.
 */
@Injectable()
export class AttachmentsService {
  private readonly directory: string;

  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly access: ChatAccessService,
    private readonly cipher: MessageCipher,
    config: AppConfig,
  ) {
    this.directory = resolve(config.chat.uploadsDir);
  }

  async upload(principal: Principal, conversationId: string, file: UploadedFile): Promise<AttachmentDto> {
    await this.access.access(principal, conversationId);
    if (file.buffer.length === 0) throw new AppException('COMMON.VALIDATION_FAILED', 'The file is empty.', { file: ['must not be empty'] });
    const sniffed = await fileTypeFromBuffer(file.buffer);
    const mimeType = sniffed?.mime ?? (looksLikeText(file.buffer) ? 'text/plain' : 'application/octet-stream');
    if (!ALLOWED_ATTACHMENT_TYPES.has(mimeType)) {
      throw new AppException('CHAT.ATTACHMENT_TYPE', `Files of type ${mimeType} are not accepted; send images (JPEG, PNG, GIF, WebP, HEIC) or documents (PDF, DOCX, ODT, text).`);
    }
    const storageKey = `${randomBytes(16).toString('hex')}`;
    await mkdir(this.directory, { recursive: true });
    const target = join(this.directory, storageKey);
    // Write then rename: a crash never leaves a half file under the real name.
    await writeFile(`${target}.part`, this.cipher.sealAttachment(storageKey, file.buffer), { mode: 0o600 });
    await rename(`${target}.part`, target);
    try {
      const saved = await this.attachments.save(
        this.attachments.create({
          conversationId,
          uploaderId: principal.userId,
          storageKey,
          originalName: basename(file.filename || 'file').slice(0, 255),
          mimeType,
          size: file.buffer.length,
          sha256: createHash('sha256').update(file.buffer).digest('hex'),
          encrypted: true,
        }),
      );
      return toAttachmentDto(saved);
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  }

  /** The file's content, decrypted (at most ATTACHMENT_MAX_BYTES, and GCM verifies the whole file before any of it is served). */
  async open(principal: Principal, conversationId: string, attachmentId: string): Promise<{ attachment: Attachment; content: Buffer }> {
    await this.access.access(principal, conversationId);
    const attachment = await this.attachments.findOneBy({ id: attachmentId, conversationId });
    if (!attachment) throw new AppException('CHAT.ATTACHMENT_NOT_FOUND', 'Attachment not found.');
    const stored = await readFile(join(this.directory, attachment.storageKey));
    return { attachment, content: attachment.encrypted ? this.cipher.openAttachment(attachment.storageKey, stored) : stored };
  }


  /** Removes stored files whose rows are gone (an erasure); a file already missing is not an error. */
  async removeFiles(storageKeys: string[]): Promise<void> {
    await Promise.all(storageKeys.map((key) => rm(join(this.directory, basename(key)), { force: true })));
  }

  /**
   * For features that reuse this store (ticket replies): the ones of these attachments the
   * user uploaded to the conversation, in the order asked; ids that are not are left out.
   * Pass the caller's `manager` when it runs inside a transaction.
   */
  async ownUploads(uploaderId: string, conversationId: string, ids: string[], manager?: EntityManager): Promise<AttachmentDto[]> {
    if (ids.length === 0) return [];
    const repository = manager ? manager.getRepository(Attachment) : this.attachments;
    const rows = await repository.findBy({ id: In([...new Set(ids)]), conversationId, uploaderId });
    const byId = new Map(rows.map((a) => [a.id, a]));
    return ids.flatMap((id) => {
      const found = byId.get(id);
      return found ? [toAttachmentDto(found)] : [];
    });
  }

  /** These attachments as clients see them (unknown ids are left out). */
  async describe(ids: string[]): Promise<Map<string, AttachmentDto>> {
    if (ids.length === 0) return new Map();
    const rows = await this.attachments.findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((a) => [a.id, toAttachmentDto(a)]));
  }

}
