import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { constantTimeEquals, randomSecret, sha256Hex } from 'src/infrastructure/crypto/secret-tokens';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { ArchiveSection, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, Repository } from 'typeorm';
import { DataExport } from './entities/data-export.entity';
import { DataExportDto, DataExportLinkDto, toDataExportDto } from './privacy.dto';
import { ARCHIVE_FORMAT, DataExportStatus } from './privacy.types';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Sorting of a user's exports: newest first. */
export const DATA_EXPORTS_ORDERING = {
  orderable: { requested_at: 'e.requestedAt' },
  defaultOrdering: '-requested_at',
} satisfies ListOrdering;

/** The archive's ciphertext decrypts only in its own row. */
const archiveContext = (exportId: string): string => `data-export:${exportId}`;

const notFound = (): AppException => new AppException('PRIVACY.EXPORT_NOT_FOUND', 'Export not found.');

/**
 * The right of access and portability: a user asks for their archive, a background job
 * builds it from every feature's registered section (PersonalDataRegistry), stores it
 * gzipped and encrypted, and tells them. They download it, signed in, through a link that
 * works once and expires; the archive itself is removed after its time.
 */
@Injectable()
export class DataExportsService {
  private readonly logger = new Logger('DataExports');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(DataExport) private readonly exports: Repository<DataExport>,
    private readonly registry: PersonalDataRegistry,
    private readonly cipher: FieldEncryptionService,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly directory: UserDirectoryService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Asks for an archive. While one is being built, that one is answered (a partial unique
   * index keeps one pending export per user, so concurrent requests converge on it).
   */
  async request(principal: Principal, context: RequestContext): Promise<DataExportDto> {
    const inserted = await this.exports.createQueryBuilder().insert().values({ userId: principal.userId }).orIgnore().returning(['id']).execute();
    const createdId = (inserted.raw as Array<{ id: string }>)[0]?.id;
    if (createdId) {
      await this.audit.record({ action: 'privacy.export_requested', actorId: principal.userId, targetType: 'data_export', targetId: createdId }, context);
      await this.queue.enqueue('privacy.export', { exportId: createdId }, { key: createdId });
    }
    // The one being built; or, when it was finished between the insert and this read, the newest.
    const current = createdId
      ? await this.exports.findOneByOrFail({ id: createdId })
      : ((await this.exports.findOneBy({ userId: principal.userId, status: DataExportStatus.Pending })) ??
        (await this.exports.findOneOrFail({ where: { userId: principal.userId }, order: { requestedAt: 'DESC' } })));
    return toDataExportDto(current);
  }

  async list(userId: string, query: PaginationQueryDto): Promise<Paginated<DataExportDto>> {
    await this.removeExpired();
    const builder = this.exports.createQueryBuilder('e').where('e.userId = :userId', { userId });
    return (await paginate(builder, query, { ...DATA_EXPORTS_ORDERING, dateColumn: 'e.requestedAt', tieBreaker: 'e.id' })).map(toDataExportDto);
  }

  async get(userId: string, id: string): Promise<DataExportDto> {
    await this.removeExpired();
    return toDataExportDto(await this.ownOrThrow(userId, id));
  }

  /** A download link for a ready archive: it works once, for its owner, until it expires; a new link replaces the previous one. */
  async link(userId: string, id: string, baseUrl: string): Promise<DataExportLinkDto> {
    await this.removeExpired();
    const row = await this.ownOrThrow(userId, id);
    if (row.status !== DataExportStatus.Ready || !row.expiresAt) throw notReady(row.status);
    const token = randomSecret(32);
    const linkMs = this.config.privacy.exportLinkTtlMinutes * 60_000;
    const expiresAt = new Date(Math.min(Date.now() + linkMs, row.expiresAt.getTime()));
    await this.exports.update({ id: row.id }, { linkTokenHash: sha256Hex(token), linkExpiresAt: expiresAt, linkUsedAt: null });
    const url = `${this.config.http.publicUrl ?? baseUrl}/api/v1/privacy/exports/${row.id}/download?link=${token}`;
    return { url, expires_at: expiresAt.toISOString() };
  }

  /** The archive behind a link, once: the link is used up in the same statement that reads the archive. */
  async download(principal: Principal, id: string, token: string, context: RequestContext): Promise<{ filename: string; json: Buffer }> {
    const row = await this.ownOrThrow(principal.userId, id);
    if (!row.linkTokenHash || !constantTimeEquals(row.linkTokenHash, sha256Hex(token))) throw new AppException('PRIVACY.LINK_INVALID', 'This download link is not valid.');
    const [used] = await this.dataSource.query<[Array<{ archive_encrypted: string | null }>, number]>(
      `UPDATE data_exports SET link_used_at = now(), downloads = downloads + 1
        WHERE id = $1 AND link_token_hash = $2 AND link_used_at IS NULL AND link_expires_at > now() AND status = 'ready' AND expires_at > now()
        RETURNING archive_encrypted`,
      [row.id, row.linkTokenHash],
    );
    const archive = used[0]?.archive_encrypted;
    if (!archive) throw new AppException('PRIVACY.LINK_EXPIRED', 'This download link was used or has expired; make a new one.');
    await this.audit.record({ action: 'privacy.export_downloaded', actorId: principal.userId, targetType: 'data_export', targetId: row.id }, context);
    const json = await gunzipAsync(Buffer.from(this.cipher.decrypt(archive, archiveContext(row.id)), 'base64'));
    return { filename: `haven-archive-${row.requestedAt.toISOString().slice(0, 10)}.json`, json };
  }

  /** Builds the archive: every feature's section of the user's data, decrypted, in one JSON document. */
  @JobHandler('privacy.export')
  async build({ exportId }: JobPayloads['privacy.export'], attempt: number): Promise<void> {
    const row = await this.exports.findOneBy({ id: exportId });
    if (!row || row.status !== DataExportStatus.Pending) return; // built before, or the account was erased
    try {
      const sections = await this.sectionsOf(row.userId);
      const json = Buffer.from(JSON.stringify({ format: ARCHIVE_FORMAT, generated_at: new Date().toISOString(), user_id: row.userId, sections }), 'utf8');
      const archive = this.cipher.encrypt((await gzipAsync(json)).toString('base64'), archiveContext(row.id));
      const expiresAt = new Date(Date.now() + this.config.privacy.exportTtlHours * 3_600_000);
      const built = await this.exports.update(
        { id: row.id, status: DataExportStatus.Pending },
        { status: DataExportStatus.Ready, readyAt: new Date(), expiresAt, archiveEncrypted: archive, sizeBytes: json.length, lastError: null },
      );
      if (built.affected) await this.tellReady(row.userId, row.id, expiresAt);
      this.logger.log(`export ${row.id} built: ${json.length} bytes, ${Object.keys(sections).length} sections`);
    } catch (error) {
      const final = attempt >= this.config.jobs.retry.attempts;
      await this.exports.update({ id: row.id, status: DataExportStatus.Pending }, { lastError: safeErrorMessage(error).slice(0, 300), ...(final ? { status: DataExportStatus.Failed } : {}) });
      throw error;
    }
  }

  /** Each feature's section, read one after another (outside a transaction: features read with their own repositories too). */
  private async sectionsOf(userId: string): Promise<Record<string, ArchiveSection>> {
    const sections: Record<string, ArchiveSection> = {};
    for (const owner of this.registry.all()) {
      const section = await owner.exportFor(userId, this.dataSource.manager);
      if (section) sections[owner.feature] = section;
    }
    return sections;
  }

  private async tellReady(userId: string, exportId: string, expiresAt: Date): Promise<void> {
    const until = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const message = `Your data archive is ready. Download it in Haven (Privacy → your exports) before ${until}; after that it is deleted.`;
    await this.notifications.notifyUsers([userId], { title: 'Your data archive is ready', message, type: NotificationType.System, relatedId: exportId });
    const email = await this.directory.activeEmail(userId);
    if (email) await this.mail.send({ to: email, subject: 'Your Haven data archive is ready', text: `${message}\n\nIf you did not ask for it, change your password and contact support.`, idempotencyKey: `data-export:${exportId}`, userIds: [userId] });
  }

  /** Archives past their time are removed (one indexed statement; run before reads, so nobody sees an expired one as ready). */
  private async removeExpired(): Promise<void> {
    await this.exports
      .createQueryBuilder()
      .update()
      .set({ status: DataExportStatus.Expired, archiveEncrypted: null, linkTokenHash: null })
      .where('status = :ready AND expires_at <= now()', { ready: DataExportStatus.Ready })
      .execute()
      .catch((error: unknown) => this.logger.warn(`removing expired archives failed: ${safeErrorMessage(error)}`));
  }

  private async ownOrThrow(userId: string, id: string): Promise<DataExport> {
    const row = await this.exports.findOneBy({ id, userId });
    if (!row) throw notFound();
    return row;
  }
}

function notReady(status: DataExportStatus): AppException {
  return new AppException('PRIVACY.EXPORT_NOT_READY', status === DataExportStatus.Pending ? 'The archive is still being built; try again in a moment.' : `This export is ${status}; request a new one.`);
}
