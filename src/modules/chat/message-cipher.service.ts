import { Injectable } from '@nestjs/common';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';

const PREVIEW_LENGTH = 120;

/**
 * Message text at rest: AES-256-GCM, each value bound to what it belongs to (a body to
 * its message, a preview to its conversation) so a ciphertext moved elsewhere fails.
 */
@Injectable()
export class MessageCipher {
  constructor(private readonly encryption: FieldEncryptionService) {}

  encryptBody(messageId: string, text: string): string {
    return this.encryption.encrypt(text, `message:${messageId}`);
  }

  decryptBody(messageId: string, value: string): string {
    return this.encryption.decrypt(value, `message:${messageId}`);
  }

  encryptEdit(messageId: string, text: string): string {
    return this.encryption.encrypt(text, `message-edit:${messageId}`);
  }

  decryptEdit(messageId: string, value: string): string {
    return this.encryption.decrypt(value, `message-edit:${messageId}`);
  }

  encryptPreview(conversationId: string, text: string): string {
    const short = text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
    return this.encryption.encrypt(short, `preview:${conversationId}`);
  }

  decryptPreview(conversationId: string, value: string): string {
    return this.encryption.decrypt(value, `preview:${conversationId}`);
  }
}
