import { Global, Module } from '@nestjs/common';
import { FieldEncryptionService } from './field-encryption.service';

/** Encryption at rest (AES-256-GCM, key from config), for every feature that stores secrets or private text. */
@Global()
@Module({ providers: [FieldEncryptionService], exports: [FieldEncryptionService] })
export class CryptoModule {}
