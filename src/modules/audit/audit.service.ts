import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { EntityManager, Repository } from 'typeorm';
import { AuditAction } from './audit-actions';
import { AuditLogEntry } from './audit-log.entity';
import { AuditQueryDto } from './audit.dto';

/** Sorting of the audit log. */
export const AUDIT_ORDERING = {
  orderable: { occurred_at: 'a.occurredAt', action: 'a.action' },
  defaultOrdering: '-occurred_at',
} satisfies ListOrdering;

export interface AuditEvent {
  action: AuditAction;
  actorId: string | null;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes and reads the append-only audit log. There is deliberately no update or delete. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntry) private readonly entries: Repository<AuditLogEntry>) {}

  /** Records an event; pass the transaction's manager so the entry commits (or not) with the change. */
  async record(event: AuditEvent, context: RequestContext, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(AuditLogEntry) : this.entries;
    await repository.save(
      repository.create({
      action: event.action,
      actorId: event.actorId,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      requestId: context.requestId?.slice(0, 64) ?? null,
      ip: context.ip?.slice(0, 64) ?? null,
        detail: event.detail ?? {},
      }),
      { transaction: false, reload: false },
    );
  }

  /** Entries the user made or that are about their account (their archive): oldest first. */
  async entriesAbout(userId: string, manager: EntityManager): Promise<AuditLogEntry[]> {
    return manager
      .getRepository(AuditLogEntry)
      .createQueryBuilder('a')
      .where("a.actorId = :userId OR (a.targetType = 'user' AND a.targetId = :userText)", { userId, userText: userId })
      .orderBy('a.occurredAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
  }

  async list(query: AuditQueryDto): Promise<Paginated<AuditLogEntry>> {
    const builder = this.entries.createQueryBuilder('a');
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.actor_id) builder.andWhere('a.actorId = :actorId', { actorId: query.actor_id });
    if (query.target_id) builder.andWhere('a.targetId = :targetId', { targetId: query.target_id });
    if (query.target_type) builder.andWhere('a.targetType = :targetType', { targetType: query.target_type });
    if (query.ip) builder.andWhere('a.ip = :ip', { ip: query.ip });
    return paginate(builder, query, {
      ...AUDIT_ORDERING,
      searchable: ['a.action'],
      dateColumn: 'a.occurredAt',
      tieBreaker: 'a.id',
    });
  }
}
