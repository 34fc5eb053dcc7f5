import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import type { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager } from 'typeorm';
import { RiskDetection } from './entities/risk-detection.entity';
import { RiskFlagNote } from './entities/risk-flag-note.entity';
import { RiskFlag } from './entities/risk-flag.entity';
import { AddRiskNoteDto, ResolveRiskFlagDto, RiskFlagDetailDto, RiskFlagDto, RiskFlagQueryDto } from './risk-flags.dto';
import { RiskPager, toRiskFlagDto } from './risk-pager.service';
import { rankOf } from './risk-severity';

/** Sorting of the triage queue: by default the most severe first; `first_detected_at` for the oldest first. */
export const RISK_FLAGS_ORDERING = {
  orderable: { severity: 'f.severityRank', first_detected_at: 'f.firstDetectedAt', last_detected_at: 'f.lastDetectedAt' },
  defaultOrdering: '-severity',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('RISK.NOT_FOUND', 'No such risk flag.');
const noteContext = (id: string): string => `risk-flag-note:${id}`;

/**
 * The staff triage queue: flags by severity and age, acknowledge (stops the re-escalation),
 * notes (encrypted), resolve with an outcome. Every step is audited; other staff hear of it live.
 */
@Injectable()
export class RiskTriageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldEncryptionService,
    private readonly audit: AuditService,
    private readonly directory: UserDirectoryService,
    private readonly pager: RiskPager,
  ) {}

  async list(query: RiskFlagQueryDto): Promise<Paginated<RiskFlagDto>> {
    const builder = this.dataSource.getRepository(RiskFlag).createQueryBuilder('f');
    if (query.status) builder.andWhere('f.status = :status', { status: query.status });
    if (query.severity) builder.andWhere('f.severityRank = :rank', { rank: rankOf(query.severity) });
    if (query.user_id) builder.andWhere('f.userId = :userId', { userId: query.user_id });
    const page = await paginate(builder, query, { ...RISK_FLAGS_ORDERING, dateColumn: 'f.firstDetectedAt', tieBreaker: 'f.id' });
    const users = new Map((await this.directory.findMany(page.items.map((f) => f.userId))).map((u) => [u.id, u]));
    return page.map((f) => toRiskFlagDto(f, users.get(f.userId) ?? null));
  }

  async get(id: string): Promise<RiskFlagDetailDto> {
    const flag = await this.dataSource.getRepository(RiskFlag).findOneBy({ id });
    if (!flag) throw notFound();
    return this.detail(flag);
  }

  /** Someone is on it: no more re-escalation. Acknowledging twice is harmless (the first one counts). */
  async acknowledge(staff: Principal, id: string, context: RequestContext): Promise<RiskFlagDetailDto> {
    const flag = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      if (locked.status === 'resolved') throw new AppException('RISK.ALREADY_RESOLVED', 'This flag is already resolved.');
      if (locked.status === 'open') {
        Object.assign(locked, { status: 'acknowledged', acknowledgedById: staff.userId, acknowledgedAt: new Date(), nextEscalationAt: null });
        await manager.save(locked);
        await this.audit.record({ action: 'risk.flag_acknowledged', actorId: staff.userId, targetType: 'risk_flag', targetId: id }, context, manager);
      }
      return locked;
    });
    await this.pager.updated(flag);
    return this.detail(flag);
  }

  async addNote(staff: Principal, id: string, dto: AddRiskNoteDto, context: RequestContext): Promise<RiskFlagDetailDto> {
    const flag = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      await this.writeNote(manager, locked.id, staff.userId, dto.text);
      await this.audit.record({ action: 'risk.flag_noted', actorId: staff.userId, targetType: 'risk_flag', targetId: id }, context, manager);
      return locked;
    });
    await this.pager.updated(flag);
    return this.detail(flag);
  }

  /** Closes the flag with an outcome (acknowledging it too, if nobody had). */
  async resolve(staff: Principal, id: string, dto: ResolveRiskFlagDto, context: RequestContext): Promise<RiskFlagDetailDto> {
    const flag = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      if (locked.status === 'resolved') throw new AppException('RISK.ALREADY_RESOLVED', 'This flag is already resolved.');
      const now = new Date();
      Object.assign(locked, {
        status: 'resolved',
        acknowledgedById: locked.acknowledgedById ?? staff.userId,
        acknowledgedAt: locked.acknowledgedAt ?? now,
        resolvedById: staff.userId,
        resolvedAt: now,
        outcome: dto.outcome,
        nextEscalationAt: null,
      });
      await manager.save(locked);
      if (dto.note) await this.writeNote(manager, locked.id, staff.userId, dto.note);
      await this.audit.record({ action: 'risk.flag_resolved', actorId: staff.userId, targetType: 'risk_flag', targetId: id, detail: { outcome: dto.outcome } }, context, manager);
      return locked;
    });
    await this.pager.updated(flag);
    return this.detail(flag);
  }

  private async lock(manager: EntityManager, id: string): Promise<RiskFlag> {
    const flag = await manager.getRepository(RiskFlag).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!flag) throw notFound();
    return flag;
  }

  private async writeNote(manager: EntityManager, flagId: string, authorId: string, text: string): Promise<void> {
    const id = randomUUID();
    await manager.insert(RiskFlagNote, { id, flagId, authorId, bodyEncrypted: this.cipher.encrypt(text, noteContext(id)) });
  }

  private async detail(flag: RiskFlag): Promise<RiskFlagDetailDto> {
    const [base, detections, notes] = await Promise.all([
      this.pager.dto(flag),
      this.dataSource.getRepository(RiskDetection).find({ where: { flagId: flag.id }, order: { detectedAt: 'ASC', id: 'ASC' }, take: 1000 }),
      this.dataSource.getRepository(RiskFlagNote).find({ where: { flagId: flag.id }, order: { createdAt: 'ASC', id: 'ASC' }, take: 1000 }),
    ]);
    return {
      ...base,
      detection_list: detections.map((d) => ({
        source: d.source,
        reference_id: d.referenceId,
        categories: d.categories,
        confidence: Math.round(d.confidence * 100) / 100,
        detected_at: d.detectedAt.toISOString(),
      })),
      notes: notes.map((n) => ({ id: n.id, author_id: n.authorId, text: this.cipher.decrypt(n.bodyEncrypted, noteContext(n.id)), created_at: n.createdAt.toISOString() })),
    };
  }
}
