import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { stringify as stringifySync } from 'csv-stringify/sync';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { CareScope } from 'src/modules/care-team/care-team.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { MoodEntry } from './entities/mood-entry.entity';
import { localDateIn } from 'src/common/time/local-date';
import { CreateMoodEntryDto, MAX_WEEKS, MoodAnalyticsDto, MoodCountsDto, MoodEntryDto, MoodEntryListQueryDto, MoodRangeQueryDto } from './mood.dto';
import {
  EXPORT_BATCH_SQL,
  EXPORT_START,
  ExportRow,
  MOOD_COUNTS_SQL,
  MoodCountRow,
  STREAKS_SQL,
  StreakRow,
  WEEKLY_INTENSITY_SQL,
  WeeklyIntensityRow,
} from './mood.sql';
import { MOODS } from './mood.types';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of the entry list. */
export const MOOD_ENTRIES_ORDERING = {
  orderable: { logged_at: 'e.loggedAt', local_date: 'e.localDate', created_at: 'e.createdAt' },
  defaultOrdering: '-logged_at',
} satisfies ListOrdering;

/** Rows per export batch: bounds the memory an export holds whatever the log's size. */
const EXPORT_BATCH_SIZE = 1000;
export const EXPORT_COLUMNS = ['logged_at', 'local_date', 'mood', 'intensity', 'tags', 'note'] as const;
/** RFC 4180: CRLF records, fields quoted when they hold a comma, quote or line break; `escape_formulas` prefixes `'` to cells starting with = + - @ tab CR. */
const CSV_OPTIONS = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true } as const;
/** Lets spreadsheets recognise UTF-8. */
const BOM = '\ufeff';

/** A CSV download: its file name and the stream of its bytes. */
export interface CsvExport {
  filename: string;
  stream: Readable;
}

const notFound = (): AppException => new AppException('MOOD.NOT_FOUND', 'Mood entry not found.');
const noteContext = (entryId: string): string => `mood-note:${entryId}`;

/**
 * The mood log: entries (notes encrypted at rest, bound to their entry), the list, analytics
 * and streaks per local calendar day, the CSV export, and the read-only views a client's
 * care team may open. The analytics and export SQL is in mood.sql.ts.
 */
@Injectable()
export class MoodService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MoodEntry) private readonly entries: Repository<MoodEntry>,
    private readonly encryption: FieldEncryptionService,
    private readonly directory: UserDirectoryService,
    private readonly careTeam: CareTeamService,
    private readonly risk: RiskFlagsService,
  ) {}

  /** The user's mood log for their archive, oldest first, notes decrypted. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const entries = await manager.find(MoodEntry, { where: { userId }, order: { loggedAt: 'ASC', id: 'ASC' } });
    return entries.length ? { entries: entries.map((entry) => this.toDto(entry)) } : null;
  }

  /** Logs an entry; its local date is the day of `logged_at` in the user's time zone now. */
  async create(userId: string, dto: CreateMoodEntryDto): Promise<MoodEntryDto> {
    const timeZone = await this.directory.timeZone(userId);
    const id = randomUUID();
    const loggedAt = dto.logged_at === undefined ? new Date() : new Date(dto.logged_at);
    const entry = this.entries.create({
      id,
      userId,
      mood: dto.mood,
      intensity: dto.intensity ?? null,
      note: dto.note ? this.encryption.encrypt(dto.note, noteContext(id)) : null,
      tags: [...new Set(dto.tags ?? [])],
      loggedAt,
      localDate: localDateIn(loggedAt, timeZone),
      timeZone,
    });
    await this.entries.insert(entry);
    if (dto.note) await this.risk.scanText({ userId, source: 'mood_entry', referenceId: id, text: dto.note });
    return this.toDto(entry);
  }

  async list(userId: string, query: MoodEntryListQueryDto): Promise<Paginated<MoodEntryDto>> {
    const builder = this.entries.createQueryBuilder('e').where('e.userId = :userId', { userId });
    if (query.mood) builder.andWhere('e.mood = :mood', { mood: query.mood });
    const page = await paginate(builder, query, {
      ...MOOD_ENTRIES_ORDERING,
      // Notes are encrypted, so search matches moods and tags only.
      searchable: ['e.mood', 'e.tags::text'],
      dateColumn: 'e.loggedAt',
      tieBreaker: 'e.id',
    });
    return page.map((entry) => this.toDto(entry));
  }

  async get(userId: string, id: string): Promise<MoodEntryDto> {
    return this.toDto(await this.ownEntry(userId, id));
  }

  async remove(userId: string, id: string): Promise<void> {
    const result = await this.entries.delete({ id, userId });
    if (!result.affected) throw notFound();
  }

  /** Counts per mood, streaks and weekly intensity; local days are the ones stored with each entry. */
  async analytics(userId: string, range: MoodRangeQueryDto): Promise<MoodAnalyticsDto> {
    assertRange(range);
    const timeZone = await this.directory.timeZone(userId);
    const today = localDateIn(new Date(), timeZone);
    const bounds = [userId, range.date_after ?? null, range.date_before ?? null];
    const [counts, weeks, streaks] = await Promise.all([
      this.dataSource.query<MoodCountRow[]>(MOOD_COUNTS_SQL, bounds),
      this.dataSource.query<WeeklyIntensityRow[]>(WEEKLY_INTENSITY_SQL, [...bounds, MAX_WEEKS]),
      this.dataSource.query<StreakRow[]>(STREAKS_SQL, [...bounds, today]),
    ]);
    // The keys come from the vocabulary, never from rows or requests.
    const byMood = new Map(counts.map((row) => [row.mood, Number(row.entries)]));
    const moodCounts = Object.fromEntries(MOODS.map((mood) => [mood, byMood.get(mood) ?? 0])) as unknown as MoodCountsDto;
    const streak = streaks[0];
    return {
      mood_counts: moodCounts,
      total_entries: counts.reduce((sum, row) => sum + Number(row.entries), 0),
      current_streak: Number(streak.current_streak),
      longest_streak: Number(streak.longest_streak),
      last_entry_date: streak.last_entry_date,
      today,
      time_zone: timeZone,
      weekly_intensity: weeks.map((w) => ({
        week: w.week,
        average_intensity: w.average_intensity === null ? null : Number(w.average_intensity),
        entries: Number(w.entries),
      })),
    };
  }

  /**
   * The log as CSV (RFC 4180, UTF-8 with a BOM, CRLF), oldest first. Rows are read in
   * keyset batches only as fast as the client takes them, so memory stays bounded; cells
   * that a spreadsheet would run as a formula are prefixed with `'`.
   */
  async exportCsv(userId: string, range: MoodRangeQueryDto): Promise<CsvExport> {
    assertRange(range);
    const timeZone = await this.directory.timeZone(userId);
    return { filename: `mood-${localDateIn(new Date(), timeZone)}.csv`, stream: Readable.from(this.exportChunks(userId, range), { objectMode: false }) };
  }

  /** The client's entries, for a therapist holding a mood grant from them (audited); 404 otherwise. */
  async sharedList(viewer: Principal, clientId: string, query: MoodEntryListQueryDto, context: RequestContext): Promise<Paginated<MoodEntryDto>> {
    await this.authorizeShared(viewer, clientId, 'mood_entries', context);
    return this.list(clientId, query);
  }

  /** The client's analytics, for a therapist holding a mood grant from them (audited); 404 otherwise. */
  async sharedAnalytics(viewer: Principal, clientId: string, range: MoodRangeQueryDto, context: RequestContext): Promise<MoodAnalyticsDto> {
    assertRange(range);
    await this.authorizeShared(viewer, clientId, 'mood_analytics', context);
    return this.analytics(clientId, range);
  }

  private async authorizeShared(viewer: Principal, clientId: string, what: string, context: RequestContext): Promise<void> {
    if (!(await this.careTeam.authorizeSharedRead(viewer, clientId, CareScope.Mood, what, context))) {
      throw new AppException('MOOD.NOT_FOUND', 'Mood log not found.');
    }
  }

  /**
   * The CSV text, one chunk per batch: a stream pulls the next batch only when the client
   * has taken the previous one. A failed batch fails the stream, so the download is cut
   * off rather than ending early as if complete.
   */
  private async *exportChunks(userId: string, range: MoodRangeQueryDto): AsyncGenerator<string> {
    yield `${BOM}${stringifySync([[...EXPORT_COLUMNS]], CSV_OPTIONS)}`;
    let cursor = EXPORT_START;
    for (;;) {
      const rows = await this.dataSource.query<ExportRow[]>(EXPORT_BATCH_SQL, [
        userId,
        range.date_after ?? null,
        range.date_before ?? null,
        cursor.at,
        cursor.id,
        EXPORT_BATCH_SIZE,
      ]);
      if (rows.length > 0) {
        yield stringifySync(
          rows.map((row) => [
            row.logged_at,
            row.local_date,
            row.mood,
            row.intensity,
            row.tags.join(';'),
            row.note === null ? null : this.encryption.decrypt(row.note, noteContext(row.id)),
          ]),
          CSV_OPTIONS,
        );
      }
      if (rows.length < EXPORT_BATCH_SIZE) return;
      const last = rows[rows.length - 1];
      cursor = { at: last.cursor_at, id: last.id };
    }
  }

  private async ownEntry(userId: string, id: string): Promise<MoodEntry> {
    const entry = await this.entries.findOne({ where: { id, userId } });
    if (!entry) throw notFound();
    return entry;
  }

  private toDto(entry: MoodEntry): MoodEntryDto {
    return {
      id: entry.id,
      mood: entry.mood,
      intensity: entry.intensity,
      note: entry.note === null ? null : this.encryption.decrypt(entry.note, noteContext(entry.id)),
      tags: entry.tags,
      logged_at: entry.loggedAt.toISOString(),
      local_date: entry.localDate,
      time_zone: entry.timeZone,
      created_at: entry.createdAt.toISOString(),
    };
  }
}

/** date_before must come after date_after when both are given. */
function assertRange(range: MoodRangeQueryDto): void {
  if (range.date_after && range.date_before && range.date_before <= range.date_after) {
    throw AppException.validation('date_before', 'date_before must be later than date_after');
  }
}
