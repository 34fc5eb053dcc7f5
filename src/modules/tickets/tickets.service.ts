import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { isStaff } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import type { RequestContext } from 'src/common/http/request-context';
import { containsPattern, ListOrdering, paginate } from 'src/common/pagination/paginate';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { AttachmentsService } from 'src/modules/chat/attachments.service';
import { ChatMembershipService } from 'src/modules/chat/chat-membership.service';
import type { AttachmentDto } from 'src/modules/chat/chat.dto';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { SupportService } from 'src/modules/support/support.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserStatus, type UserCard } from 'src/modules/users/users.types';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { TicketNote } from './entities/ticket-note.entity';
import { TicketReply, TicketReplyAttachment } from './entities/ticket-reply.entity';
import { Ticket } from './entities/ticket.entity';
import { TicketNotifier } from './ticket-notifier.service';
import { ticketCipher } from './ticket-cipher';
import {
  AssignSupportTicketDto,
  MAX_THREAD,
  OpenSupportTicketDto,
  SupportTicketStaffDetailDto,
  SupportTicketStaffQueryDto,
  SupportTicketDetailDto,
  SupportTicketDto,
  SupportTicketListQueryDto,
  SupportTicketNoteBodyDto,
  SupportTicketReplyBodyDto,
  SupportTicketReplyDto,
  UpdateSupportTicketDto,
} from './tickets.dto';
import { priorityOf, priorityRank, TICKET_STATUSES, type TicketStatus } from './tickets.types';

/** Sorting of your own tickets. */
export const TICKETS_ORDERING = {
  orderable: { created_at: 't.createdAt', updated_at: 't.updatedAt' },
  defaultOrdering: '-updated_at',
} satisfies ListOrdering;

/** Sorting of the staff dashboard. */
export const STAFF_TICKETS_ORDERING = {
  orderable: { created_at: 't.createdAt', updated_at: 't.updatedAt', priority: 't.priorityRank', number: 't.number', status: 't.status' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('TICKETS.NOT_FOUND', 'Ticket not found.');
const TICKET_NUMBER = /^#?(\d{1,9})$/;

/**
 * What `search` matches (subjects and bodies are encrypted, so never their text): `42` or
 * `#42` the ticket number, a UUID the ticket id, anything else the requester's name or
 * email (staff lists only; `joinRequester` adds the users join).
 */
function applySearch(builder: SelectQueryBuilder<Ticket>, search: string | undefined, joinRequester: (() => void) | null): void {
  const term = search?.trim();
  if (!term) return;
  const number = TICKET_NUMBER.exec(term);
  if (number) {
    builder.andWhere('t.number = :searchNumber', { searchNumber: Number(number[1]) });
  } else if (isUUID(term)) {
    builder.andWhere('t.id = :searchId', { searchId: term });
  } else if (joinRequester) {
    joinRequester();
    builder.andWhere(
      "(u.email ILIKE :searchPattern OR u.firstName ILIKE :searchPattern OR u.lastName ILIKE :searchPattern OR concat_ws(' ', u.firstName, u.lastName) ILIKE :searchPattern)",
      { searchPattern: containsPattern(term) },
    );
  } else {
    builder.andWhere('false');
  }
}

/** Moves the ticket to `to` with its timestamps; false when it was already there. */
function transition(ticket: Ticket, to: TicketStatus, now: Date): boolean {
  if (ticket.status === to) return false;
  if (to === 'resolved') {
    ticket.resolvedAt = now;
    ticket.closedAt = null;
  } else if (to === 'closed') {
    ticket.closedAt = now;
  } else {
    ticket.resolvedAt = null;
    ticket.closedAt = null;
  }
  ticket.status = to;
  return true;
}

/**
 * The support desk: users open tickets and follow their public thread; staff triage them
 * on the dashboard with internal notes, assignment, status and priority. Subjects, bodies,
 * replies and notes are encrypted at rest. Status changes and the first response are
 * decided under the ticket's row lock.
 */
@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly encryption: FieldEncryptionService,
    private readonly directory: UserDirectoryService,
    private readonly support: SupportService,
    private readonly chat: ChatMembershipService,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly notifier: TicketNotifier,
    private readonly risk: RiskFlagsService,
  ) {}

  // ---- the requester ----

  async open(principal: Principal, dto: OpenSupportTicketDto): Promise<SupportTicketDetailDto> {
    if (dto.support_chat_message_id) {
      const existing = await this.chat.findSupportConversation(principal.userId);
      if (!existing || !(await this.chat.hasMessage(existing.id, dto.support_chat_message_id))) {
        throw new AppException('TICKETS.CHAT_MESSAGE_NOT_FOUND', 'No such message in your support chat.', { support_chat_message_id: ['not a message in your support chat'] });
      }
    }
    const conversation = await this.support.conversationOf(principal.userId);
    const id = randomUUID();
    const cipher = ticketCipher(this.encryption);
    await this.dataSource.getRepository(Ticket).insert({
      id,
      requesterId: principal.userId,
      supportChatId: conversation.id,
      supportChatMessageId: dto.support_chat_message_id ?? null,
      subjectEncrypted: cipher.encryptSubject(id, dto.subject),
      bodyEncrypted: cipher.encryptBody(id, dto.body),
      category: dto.category,
      priorityRank: priorityRank(dto.priority ?? 'normal'),
      status: 'open',
    });
    const ticket = await this.dataSource.getRepository(Ticket).findOneByOrFail({ id });
    await this.notifier.opened(ticket);
    // What the user wrote is scanned like every other text of theirs: a crisis raises a risk flag (all their tickets' texts join one).
    await this.risk.scanText({ userId: principal.userId, source: 'support_ticket', referenceId: id, text: `${dto.subject}\n${dto.body}` });
    return this.detail(ticket);
  }

  async listOwn(principal: Principal, query: SupportTicketListQueryDto): Promise<Paginated<SupportTicketDto>> {
    const builder = this.dataSource.getRepository(Ticket).createQueryBuilder('t').where('t.requesterId = :userId', { userId: principal.userId });
    if (query.status) builder.andWhere('t.status = :status', { status: query.status });
    applySearch(builder, query.search, null);
    const page = await paginate(builder, { ...query, search: undefined }, { ...TICKETS_ORDERING, dateColumn: 't.createdAt', tieBreaker: 't.id' });
    return this.summaries(page);
  }

  async getOwn(principal: Principal, id: string): Promise<SupportTicketDetailDto> {
    const ticket = await this.dataSource.getRepository(Ticket).findOneBy({ id, requesterId: principal.userId });
    if (!ticket) throw notFound();
    return this.detail(ticket);
  }

  /** The requester replies: a ticket waiting on them, or resolved, is open again; a closed one must be reopened first. */
  async replyOwn(principal: Principal, id: string, dto: SupportTicketReplyBodyDto): Promise<SupportTicketDetailDto> {
    const { ticket, replyId } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id, principal.userId);
      if (locked.status === 'closed') throw new AppException('TICKETS.CLOSED', 'This ticket is closed; reopen it to reply.');
      const now = new Date();
      const replyId = await this.writeReply(manager, locked, principal.userId, false, dto, now);
      if (locked.status !== 'open') transition(locked, 'open', now);
      await this.touch(manager, locked, now);
      return { ticket: locked, replyId };
    });
    await this.notifier.requesterReplied(ticket);
    await this.risk.scanText({ userId: principal.userId, source: 'support_ticket', referenceId: replyId, text: dto.body });
    return this.detail(ticket);
  }

  /** The requester closes their ticket (closing twice is harmless). */
  async closeOwn(principal: Principal, id: string): Promise<SupportTicketDetailDto> {
    const ticket = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id, principal.userId);
      const now = new Date();
      if (transition(locked, 'closed', now)) await this.touch(manager, locked, now);
      return locked;
    });
    return this.detail(ticket);
  }

  /** The requester reopens a resolved or closed ticket. */
  async reopenOwn(principal: Principal, id: string): Promise<SupportTicketDetailDto> {
    const ticket = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id, principal.userId);
      if (locked.status !== 'resolved' && locked.status !== 'closed') throw new AppException('TICKETS.NOT_REOPENABLE', 'Only a resolved or closed ticket can be reopened.');
      const now = new Date();
      transition(locked, 'open', now);
      await this.touch(manager, locked, now);
      return locked;
    });
    await this.notifier.reopened(ticket);
    return this.detail(ticket);
  }

  // ---- staff ----

  async listForStaff(query: SupportTicketStaffQueryDto): Promise<Paginated<SupportTicketDto>> {
    if (query.assignee_id && query.unassigned === true) {
      throw AppException.validation('unassigned', 'unassigned=true cannot be combined with assignee_id');
    }
    const builder = this.dataSource.getRepository(Ticket).createQueryBuilder('t');
    if (query.status) builder.andWhere('t.status = :status', { status: query.status });
    if (query.priority) builder.andWhere('t.priorityRank = :rank', { rank: priorityRank(query.priority) });
    if (query.category) builder.andWhere('t.category = :category', { category: query.category });
    if (query.assignee_id) builder.andWhere('t.assigneeId = :assigneeId', { assigneeId: query.assignee_id });
    if (query.unassigned !== undefined) builder.andWhere(query.unassigned ? 't.assigneeId IS NULL' : 't.assigneeId IS NOT NULL');
    applySearch(builder, query.search, () => this.directory.joinUsers(builder, 't.requesterId', 'u'));
    const page = await paginate(builder, { ...query, search: undefined }, { ...STAFF_TICKETS_ORDERING, dateColumn: 't.createdAt', tieBreaker: 't.id' });
    return this.summaries(page);
  }

  async getForStaff(id: string): Promise<SupportTicketStaffDetailDto> {
    const ticket = await this.dataSource.getRepository(Ticket).findOneBy({ id });
    if (!ticket) throw notFound();
    return this.staffDetail(ticket);
  }

  /** A staff reply: the first one sets first_response_at; an open ticket then waits on the user. The requester is notified. */
  async staffReply(staff: Principal, id: string, dto: SupportTicketReplyBodyDto): Promise<SupportTicketStaffDetailDto> {
    const { ticket, replyId } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      if (locked.status === 'closed') throw new AppException('TICKETS.CLOSED', 'This ticket is closed; reopen it to reply.');
      const now = new Date();
      const written = await this.writeReply(manager, locked, staff.userId, true, dto, now);
      locked.firstResponseAt ??= now;
      if (locked.status === 'open') transition(locked, 'pending_on_user', now);
      await this.touch(manager, locked, now);
      return { ticket: locked, replyId: written };
    });
    await this.notifier.staffReplied(ticket, replyId);
    return this.staffDetail(ticket);
  }

  async addNote(staff: Principal, id: string, dto: SupportTicketNoteBodyDto, context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    const ticket = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      const noteId = randomUUID();
      const now = new Date();
      await manager.insert(TicketNote, { id: noteId, ticketId: id, authorId: staff.userId, bodyEncrypted: ticketCipher(this.encryption).encryptNote(noteId, dto.body), createdAt: now });
      await this.touch(manager, locked, now);
      await this.audit.record({ action: 'ticket.note_added', actorId: staff.userId, targetType: 'ticket', targetId: id, detail: { note_id: noteId } }, context, manager);
      return locked;
    });
    return this.staffDetail(ticket);
  }

  /** Assigns to an active manager or admin (a 400 naming assignee_id otherwise), or unassigns with null. Audited. */
  async assign(staff: Principal, id: string, dto: AssignSupportTicketDto, context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    if (dto.assignee_id !== null) await this.assertActiveStaff(dto.assignee_id);
    const { ticket, changed } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      const from = locked.assigneeId;
      if (from === dto.assignee_id) return { ticket: locked, changed: false };
      locked.assigneeId = dto.assignee_id;
      await this.touch(manager, locked, new Date());
      await this.audit.record(
        { action: dto.assignee_id ? 'ticket.assigned' : 'ticket.unassigned', actorId: staff.userId, targetType: 'ticket', targetId: id, detail: { from, to: dto.assignee_id } },
        context,
        manager,
      );
      return { ticket: locked, changed: true };
    });
    if (changed) await this.notifier.assigned(ticket, staff.userId);
    return this.staffDetail(ticket);
  }

  /** Status, priority and category. Status timestamps follow the status; each change is audited. */
  async update(staff: Principal, id: string, dto: UpdateSupportTicketDto, context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    if (dto.status === undefined && dto.priority === undefined && dto.category === undefined) {
      throw AppException.validation('non_field_errors', 'give at least one of status, priority, category');
    }
    const { ticket, statusChanged } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      const now = new Date();
      let changed = false;
      let statusChanged = false;
      if (dto.status !== undefined) {
        const from = locked.status;
        if (transition(locked, dto.status, now)) {
          changed = statusChanged = true;
          await this.audit.record({ action: 'ticket.status_changed', actorId: staff.userId, targetType: 'ticket', targetId: id, detail: { from, to: dto.status } }, context, manager);
        }
      }
      if (dto.priority !== undefined && priorityRank(dto.priority) !== locked.priorityRank) {
        const from = priorityOf(locked.priorityRank);
        locked.priorityRank = priorityRank(dto.priority);
        changed = true;
        await this.audit.record({ action: 'ticket.priority_changed', actorId: staff.userId, targetType: 'ticket', targetId: id, detail: { from, to: dto.priority } }, context, manager);
      }
      if (dto.category !== undefined && dto.category !== locked.category) {
        locked.category = dto.category;
        changed = true;
      }
      if (changed) await this.touch(manager, locked, now);
      return { ticket: locked, statusChanged };
    });
    if (statusChanged) await this.notifier.statusChanged(ticket);
    return this.staffDetail(ticket);
  }

  /** How many tickets are in each status, in one query (every status present). */
  async countsByStatus(): Promise<Record<TicketStatus, number>> {
    const rows = await this.dataSource.query<Array<{ status: TicketStatus; n: number }>>('SELECT status, count(*)::int AS n FROM tickets GROUP BY status');
    const byStatus = new Map(rows.map((row) => [row.status, Number(row.n)]));
    return Object.fromEntries(TICKET_STATUSES.map((status) => [status, byStatus.get(status) ?? 0])) as Record<TicketStatus, number>;
  }

  // ---- helpers ----

  /** The ticket's row, locked until the transaction ends; with `requesterId`, only if it is theirs (404 otherwise). */
  private async lock(manager: EntityManager, id: string, requesterId?: string): Promise<Ticket> {
    const ticket = await manager.getRepository(Ticket).findOne({ where: requesterId ? { id, requesterId } : { id }, lock: { mode: 'pessimistic_write' } });
    if (!ticket) throw notFound();
    return ticket;
  }

  private async touch(manager: EntityManager, ticket: Ticket, now: Date): Promise<void> {
    ticket.updatedAt = now;
    await manager.update(Ticket, ticket.id, {
      status: ticket.status,
      priorityRank: ticket.priorityRank,
      category: ticket.category,
      assigneeId: ticket.assigneeId,
      firstResponseAt: ticket.firstResponseAt,
      resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt,
      updatedAt: now,
    });
  }

  /** Stores a reply with its attachments: each must be a file the author uploaded to the ticket's support chat (404 otherwise). */
  private async writeReply(manager: EntityManager, ticket: Ticket, authorId: string, fromStaff: boolean, dto: SupportTicketReplyBodyDto, now: Date): Promise<string> {
    const ids = [...new Set(dto.attachment_ids ?? [])];
    let attachments: AttachmentDto[] = [];
    if (ids.length > 0) {
      attachments = ticket.supportChatId ? await this.attachments.ownUploads(authorId, ticket.supportChatId, ids, manager) : [];
      if (attachments.length !== ids.length) {
        throw new AppException('TICKETS.ATTACHMENT_NOT_FOUND', 'Attachment not found: upload it to the ticket’s support chat first.', {
          attachment_ids: ['each must be a file you uploaded to the ticket’s support chat'],
        });
      }
    }
    const id = randomUUID();
    await manager.insert(TicketReply, { id, ticketId: ticket.id, authorId, fromStaff, bodyEncrypted: ticketCipher(this.encryption).encryptReply(id, dto.body), createdAt: now });
    if (attachments.length > 0) {
      await manager.insert(
        TicketReplyAttachment,
        attachments.map((a, position) => ({ replyId: id, attachmentId: a.id, position })),
      );
    }
    return id;
  }

  private async assertActiveStaff(userId: string): Promise<void> {
    const user = await this.directory.find(userId);
    if (!user || user.status !== UserStatus.Active || !isStaff(user.role)) {
      throw AppException.validation('assignee_id', 'assignee_id must be an active manager or admin');
    }
  }

  private async cards(ids: Array<string | null>): Promise<Map<string, UserCard>> {
    const users = await this.directory.findMany(ids.filter((id): id is string => id !== null));
    return new Map(users.map((u) => [u.id, u]));
  }

  private async summaries(page: Paginated<Ticket>): Promise<Paginated<SupportTicketDto>> {
    const users = await this.cards(page.items.flatMap((t) => [t.requesterId, t.assigneeId]));
    return page.map((t) => this.toDto(t, users));
  }

  private toDto(ticket: Ticket, users: Map<string, UserCard>): SupportTicketDto {
    const card = (id: string | null) => {
      const user = id === null ? undefined : users.get(id);
      return user ? toUserSummary(user) : null;
    };
    return {
      id: ticket.id,
      number: ticket.number,
      subject: ticketCipher(this.encryption).decryptSubject(ticket.id, ticket.subjectEncrypted),
      category: ticket.category,
      priority: priorityOf(ticket.priorityRank),
      status: ticket.status,
      requester: card(ticket.requesterId),
      assignee: card(ticket.assigneeId),
      support_chat_id: ticket.supportChatId,
      support_chat_message_id: ticket.supportChatMessageId,
      first_response_at: ticket.firstResponseAt?.toISOString() ?? null,
      resolved_at: ticket.resolvedAt?.toISOString() ?? null,
      closed_at: ticket.closedAt?.toISOString() ?? null,
      created_at: ticket.createdAt.toISOString(),
      updated_at: ticket.updatedAt.toISOString(),
    };
  }

  /** The ticket with its body and public thread: the requester's view (never the notes). */
  private async detail(ticket: Ticket): Promise<SupportTicketDetailDto> {
    const replies = await this.dataSource.getRepository(TicketReply).find({ where: { ticketId: ticket.id }, order: { createdAt: 'ASC', id: 'ASC' }, take: MAX_THREAD });
    const links = replies.length
      ? await this.dataSource.getRepository(TicketReplyAttachment).find({ where: { replyId: In(replies.map((r) => r.id)) }, order: { position: 'ASC' } })
      : [];
    const [users, described] = await Promise.all([
      this.cards([ticket.requesterId, ticket.assigneeId, ...replies.map((r) => r.authorId)]),
      this.attachments.describe(links.map((l) => l.attachmentId)),
    ]);
    const byReply = new Map<string, AttachmentDto[]>();
    for (const link of links) {
      const dto = described.get(link.attachmentId);
      if (dto) byReply.set(link.replyId, [...(byReply.get(link.replyId) ?? []), dto]);
    }
    const cipher = ticketCipher(this.encryption);
    return {
      ...this.toDto(ticket, users),
      body: cipher.decryptBody(ticket.id, ticket.bodyEncrypted),
      replies: replies.map(
        (r): SupportTicketReplyDto => ({
          id: r.id,
          author: r.authorId && users.has(r.authorId) ? toUserSummary(users.get(r.authorId)!) : null,
          from_staff: r.fromStaff,
          body: r.bodyEncrypted === null ? null : cipher.decryptReply(r.id, r.bodyEncrypted),
          attachments: byReply.get(r.id) ?? [],
          created_at: r.createdAt.toISOString(),
        }),
      ),
    };
  }

  private async staffDetail(ticket: Ticket): Promise<SupportTicketStaffDetailDto> {
    const [base, notes] = await Promise.all([
      this.detail(ticket),
      this.dataSource.getRepository(TicketNote).find({ where: { ticketId: ticket.id }, order: { createdAt: 'ASC', id: 'ASC' }, take: MAX_THREAD }),
    ]);
    const authors = await this.cards(notes.map((n) => n.authorId));
    const cipher = ticketCipher(this.encryption);
    return {
      ...base,
      notes: notes.map((n) => ({
        id: n.id,
        author: n.authorId && authors.has(n.authorId) ? toUserSummary(authors.get(n.authorId)!) : null,
        body: n.bodyEncrypted === null ? null : cipher.decryptNote(n.id, n.bodyEncrypted),
        created_at: n.createdAt.toISOString(),
      })),
    };
  }
}
