import { Injectable } from '@nestjs/common';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';

const PREVIEW_LENGTH = 120;

/**
 * Chat content at rest: AES-256-GCM, each value bound to what it belongs to (a body to its
 * message, an attachment to its storage key), so a ciphertext moved elsewhere fails.
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

  sealAttachment(storageKey: string, content: Buffer): Buffer {
    return this.encryption.encryptBytes(content, `attachment:${storageKey}`);
  }

  openAttachment(storageKey: string, sealed: Buffer): Buffer {
    return this.encryption.decryptBytes(sealed, `attachment:${storageKey}`);
  }

  /** A chat list's last-message preview: the body, shortened. */
  previewOf(messageId: string, body: string): string {
    const text = this.decryptBody(messageId, body);
    return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
  }
}
