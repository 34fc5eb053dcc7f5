import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { FieldCipher } from './field-encryption';

/** Encryption at rest with the configured keys (ENCRYPTION_KEY, ENCRYPTION_KEYS_PREVIOUS). */
@Injectable()
export class FieldEncryptionService extends FieldCipher {
  constructor(config: AppConfig) {
    super(config.encryption.current, config.encryption.previous);
  }
}
