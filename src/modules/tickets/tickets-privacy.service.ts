import { Injectable } from '@nestjs/common';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { EntityManager, In } from 'typeorm';
import { TicketNote } from './entities/ticket-note.entity';
import { TicketReply, TicketReplyAttachment } from './entities/ticket-reply.entity';
import { Ticket } from './entities/ticket.entity';
import { ticketCipher } from './ticket-cipher';
import { priorityOf, type TicketCategory, type TicketPriority, type TicketStatus } from './tickets.types';

/** A ticket in a user's data export: what they wrote and the public thread, decrypted; never internal notes. */
export interface ExportedTicket {
  id: string;
  number: number;
  subject: string;
  body: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  support_chat_id: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  created_at: string;
  replies: Array<{ id: string; from_staff: boolean; written_by_you: boolean; body: string | null; attachment_ids: string[]; created_at: string }>;
}

/** What erasure did. */
export interface TicketsErasure {
  tickets_deleted: number;
  replies_scrubbed: number;
  notes_scrubbed: number;
  assignments_cleared: number;
}

/**
 * The tickets module's part of data export and erasure (reached through TicketsPersonalData and the
 * users' PersonalDataRegistry), run in the caller's transaction
 * (`manager`), so the privacy feature can span every module in one.
 */
@Injectable()
export class TicketsPrivacyService {
  constructor(private readonly encryption: FieldEncryptionService) {}

  /** The tickets the user opened, with their public thread, decrypted, oldest first (no internal notes). */
  async exportFor(userId: string, manager: EntityManager): Promise<ExportedTicket[]> {
    const tickets = await manager.getRepository(Ticket).find({ where: { requesterId: userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (tickets.length === 0) return [];
    const replies = await manager.getRepository(TicketReply).find({ where: { ticketId: In(tickets.map((t) => t.id)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const links = replies.length
      ? await manager.getRepository(TicketReplyAttachment).find({ where: { replyId: In(replies.map((r) => r.id)) }, order: { position: 'ASC' } })
      : [];
    const attachmentsOf = new Map<string, string[]>();
    for (const link of links) attachmentsOf.set(link.replyId, [...(attachmentsOf.get(link.replyId) ?? []), link.attachmentId]);
    const repliesOf = new Map<string, TicketReply[]>();
    for (const reply of replies) repliesOf.set(reply.ticketId, [...(repliesOf.get(reply.ticketId) ?? []), reply]);
    const cipher = ticketCipher(this.encryption);
    return tickets.map((t) => ({
      id: t.id,
      number: t.number,
      subject: cipher.decryptSubject(t.id, t.subjectEncrypted),
      body: cipher.decryptBody(t.id, t.bodyEncrypted),
      category: t.category,
      priority: priorityOf(t.priorityRank),
      status: t.status,
      support_chat_id: t.supportChatId,
      first_response_at: t.firstResponseAt?.toISOString() ?? null,
      resolved_at: t.resolvedAt?.toISOString() ?? null,
      closed_at: t.closedAt?.toISOString() ?? null,
      created_at: t.createdAt.toISOString(),
      replies: (repliesOf.get(t.id) ?? []).map((r) => ({
        id: r.id,
        from_staff: r.fromStaff,
        written_by_you: r.authorId === userId,
        body: r.bodyEncrypted === null ? null : cipher.decryptReply(r.id, r.bodyEncrypted),
        attachment_ids: attachmentsOf.get(r.id) ?? [],
        created_at: r.createdAt.toISOString(),
      })),
    }));
  }

  /**
   * Deletes the tickets the user opened (their replies, notes and attachment links go with
   * them). On other people's tickets, the replies and notes the user wrote (as staff) keep
   * their place but lose their text and author, so the requester's ticket still opens; the
   * user's assignments are cleared.
   */
  async eraseFor(userId: string, manager: EntityManager): Promise<TicketsErasure> {
    const deleted = await manager.getRepository(Ticket).delete({ requesterId: userId });
    const replies = await manager.getRepository(TicketReply).update({ authorId: userId }, { authorId: null, bodyEncrypted: null });
    const notes = await manager.getRepository(TicketNote).update({ authorId: userId }, { authorId: null, bodyEncrypted: null });
    const assignments = await manager.getRepository(Ticket).update({ assigneeId: userId }, { assigneeId: null });
    return {
      tickets_deleted: deleted.affected ?? 0,
      replies_scrubbed: replies.affected ?? 0,
      notes_scrubbed: notes.affected ?? 0,
      assignments_cleared: assignments.affected ?? 0,
    };
  }
}
