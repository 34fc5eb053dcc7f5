import { Injectable } from '@nestjs/common';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';

const PREVIEW_LENGTH = 120;

/**
 * Message text at rest: AES-256-GCM, each value bound to the message it belongs to, so a
 * ciphertext moved to another row fails.
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

  /** A chat list's last-message preview: the body, shortened. */
  previewOf(messageId: string, body: string): string {
    const text = this.decryptBody(messageId, body);
    return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
  }
}
