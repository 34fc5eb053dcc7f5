import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isStaff, isUnverifiedProvider } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { EntityManager, Repository } from 'typeorm';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation, ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';


/** How the caller reaches a conversation: as one of its participants, or as staff on a support conversation. */
export interface ConversationAccess {
  conversation: Conversation;
  /** Null when the caller is staff reading a support conversation they have not joined. */
  participant: ConversationParticipant | null;
  viaStaff: boolean;
}

/** What a send needs to know, from one read: the conversation and the sender's side. */
export interface SendTarget {
  conversation: Pick<Conversation, 'id' | 'kind' | 'status' | 'supportUserId'>;
  /** The room permission side: patient (client) or provider (therapist/friend/staff). */
  side: 'patient' | 'provider';
  /** Staff answering a support conversation they have not joined yet. */
  staffJoining: boolean;
}

interface SendTargetRow {
  id: string;
  kind: ConversationKind;
  status: ConversationStatus;
  support_user_id: string | null;
  role: ParticipantRole | null;
  left_at: Date | null;
  is_archived: boolean | null;
  is_active: boolean | null;
  patient_can_send: boolean | null;
  therapist_can_send: boolean | null;
}

/**
 * The one place that decides who may see a conversation. Everything else asks here;
 * a conversation the caller may not see answers 404, exactly like one that does not exist.
 */
@Injectable()
export class ChatAccessService {
  constructor(
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(ConversationParticipant) private readonly participants: Repository<ConversationParticipant>,
    private readonly hot: HotQueries,
  ) {}

  /** The conversation if the caller may see it; with `lock`, the row is locked FOR UPDATE in `manager`'s transaction. */
  async access(principal: Principal, conversationId: string, manager?: EntityManager, lock = false): Promise<ConversationAccess> {
    const conversations = manager ? manager.getRepository(Conversation) : this.conversations;
    const participants = manager ? manager.getRepository(ConversationParticipant) : this.participants;
    const conversation = await conversations.findOne({
      where: { id: conversationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!conversation) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    const participant = await participants.findOneBy({ conversationId, userId: principal.userId });
    if (participant && !participant.leftAt) return { conversation, participant, viaStaff: false };
    if (conversation.kind === ConversationKind.Support && isStaff(principal.role)) {
      return { conversation, participant: participant ?? null, viaStaff: true };
    }
    throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
  }

  /**
   * May the caller send to this conversation? One query (the send path is hot); the same
   * rules as access() plus status and room permissions, each with its own error code.
   */
  async sendTarget(principal: Principal, conversationId: string): Promise<SendTarget> {
    const rows = await this.hot.query<SendTargetRow>(
      'send_target',
      `SELECT c.id, c.kind, c.status, c.support_user_id, p.role, p.left_at,
              r.is_archived, r.is_active, r.patient_can_send, r.therapist_can_send
         FROM conversations c
         LEFT JOIN conversation_participants p ON p.conversation_id = c.id AND p.user_id = $2
         LEFT JOIN chat_rooms r ON r.conversation_id = c.id
        WHERE c.id = $1`,
      [conversationId, principal.userId],
    );
    const row = rows[0];
    const member = row && row.role !== null && row.left_at === null;
    const staffJoining = Boolean(row) && !member && row.kind === ConversationKind.Support && isStaff(principal.role);
    if (!row || (!member && !staffJoining)) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    if (row.status === ConversationStatus.Blocked) throw new AppException('CHAT.BLOCKED', 'This chat is blocked; no new messages can be sent.');
    if (row.status !== ConversationStatus.Active) throw new AppException('CHAT.NOT_ACTIVE', `This chat is ${row.status}; reactivate it to send messages.`);
    const side = row.role === ParticipantRole.Patient ? 'patient' : 'provider';
    if (row.is_archived === true || row.is_active === false) throw new AppException('CHAT.NOT_ACTIVE', 'This chat room is archived; activate it to send messages.');
    const allowed = side === 'patient' ? row.patient_can_send : row.therapist_can_send;
    if (allowed === false) throw new AppException('CHAT.SEND_NOT_ALLOWED', 'The room settings do not let you send messages here.');
    return { conversation: { id: row.id, kind: row.kind, status: row.status, supportUserId: row.support_user_id }, side, staffJoining };
  }

  /** Staff reading a user's support conversation: clinical-data access, written to the audit log. */
  isStaffReadingSupport(principal: Principal, access: ConversationAccess): boolean {
    return access.conversation.kind === ConversationKind.Support && isStaff(principal.role) && access.conversation.supportUserId !== principal.userId;
  }

  /** May the caller moderate (remove others' messages, members) in this conversation? */
  canModerate(principal: Principal, access: ConversationAccess): boolean {
    if (isStaff(principal.role)) return true;
    return access.participant?.role === ParticipantRole.Moderator && !isUnverifiedProvider(principal);
  }

  /** May the caller manage a direct chat's room (its provider side, if still verified, or staff)? */
  canManageRoom(principal: Principal, access: ConversationAccess): boolean {
    if (isStaff(principal.role)) return true;
    return access.participant?.role === ParticipantRole.Provider && !isUnverifiedProvider(principal);
  }

  /** Room permissions for the caller's side of a direct chat (provider = "therapist", client = "patient"). */
  sidePermissions(access: ConversationAccess, room: ChatRoom | null): { canSend: boolean; canSeeHistory: boolean } {
    if (!room || access.conversation.kind !== ConversationKind.Direct || !access.participant) return { canSend: true, canSeeHistory: true };
    const patient = access.participant.role === ParticipantRole.Patient;
    return {
      canSend: patient ? room.patientCanSend : room.therapistCanSend,
      canSeeHistory: patient ? room.patientCanSeeHistory : room.therapistCanSeeHistory,
    };
  }
}
