import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { DataExport } from './entities/data-export.entity';
import { DataExportStatus } from './privacy.types';

/** A link token: 32 random bytes as base64url. */
export const LINK_TOKEN_LENGTH = 43;

export class DataExportDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: DataExportStatus, description: '`pending` while the archive is built (usually seconds), then `ready` until `expires_at`, then `expired`; `failed` after its retries.' })
  status!: DataExportStatus;

  @ApiDateTimeProperty()
  requested_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  ready_at!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'When the archive is removed; make a download link before then.' })
  expires_at!: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, description: 'Size of the archive (JSON), in bytes.' })
  size_bytes!: number | null;

  @ApiProperty({ minimum: 0, description: 'How many times the archive was downloaded.' })
  downloads!: number;
}

export class DataExportLinkDto {
  @ApiProperty({
    maxLength: 2000,
    example: 'https://haven.example/api/v1/privacy/exports/3f0c…/download?token=…',
    description: 'The download URL: fetch it signed in as yourself, once, before `expires_at`.',
  })
  url!: string;

  @ApiDateTimeProperty()
  expires_at!: string;
}

export class DataExportDownloadQueryDto {
  @ApiProperty({ minLength: LINK_TOKEN_LENGTH, maxLength: LINK_TOKEN_LENGTH, pattern: '^[A-Za-z0-9_-]{43}$', description: 'The single-use code of the link made by `POST …/link`.' })
  @IsString()
  @MaxLength(LINK_TOKEN_LENGTH)
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'link must be the code of a download link' })
  link!: string;
}

export function toDataExportDto(row: DataExport): DataExportDto {
  return {
    id: row.id,
    status: row.status,
    requested_at: row.requestedAt.toISOString(),
    ready_at: row.readyAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    size_bytes: row.sizeBytes,
    downloads: row.downloads,
  };
}
