import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isStaff, isUnverifiedProvider } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { EntityManager, Repository } from 'typeorm';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation, ConversationKind } from './entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';
import { READ_ACCESS_SQL, ReadAccessRow } from './messaging/read.sql';
import { SEND_CHECK_SQL, SendVerdict } from './messaging/send.sql';

/** How the caller reaches a conversation: as one of its participants, or as staff on a support conversation. */
export interface ConversationAccess {
  conversation: Conversation;
  /** Null when the caller is staff reading a support conversation they have not joined. */
  participant: ConversationParticipant | null;
  viaStaff: boolean;
}

/** What reading a chat's history needs to know about the caller's access. */
export interface HistoryAccess {
  conversationId: string;
  kind: ConversationKind;
  supportUserId: string | null;
  viaStaff: boolean;
}

/** A send the rule allows; staff answering a support chat they have not joined yet join it first. */
export interface SendPermission {
  staffJoining: boolean;
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
    const via = reachedAs(principal, conversation.kind, participant);
    if (via === 'member') return { conversation, participant, viaStaff: false };
    if (via === 'staff') return { conversation, participant: participant ?? null, viaStaff: true };
    throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
  }

  /**
   * access() for reading a chat's history, in one prepared statement (the conversation, the
   * caller's participant row and the room) returning a plain row: the same rules, the same
   * 404, and the room's history setting applied (CHAT.HISTORY_HIDDEN).
   */
  async historyAccess(principal: Principal, conversationId: string): Promise<HistoryAccess> {
    const [row] = await this.hot.query<ReadAccessRow>('read_access', READ_ACCESS_SQL, [conversationId, principal.userId]);
    const via = row ? reachedAs(principal, row.kind, row.role === null ? null : { leftAt: row.left_at }) : null;
    if (!row || !via) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    const role = via === 'member' ? row.role : null;
    assertHistoryVisible(row.kind, role, row.patient_can_see_history === null ? null : { patientCanSeeHistory: row.patient_can_see_history, therapistCanSeeHistory: row.therapist_can_see_history! });
    return { conversationId: row.id, kind: row.kind, supportUserId: row.support_user_id, viaStaff: via === 'staff' };
  }

  /**
   * May the caller send to this conversation? Asks the send statement's own verdict
   * (messaging/send.sql.ts), so the rule is the one the send applies; throws its error.
   */
  async checkSend(principal: Principal, conversationId: string): Promise<SendPermission> {
    const [verdict] = await this.hot.query<SendVerdict>('send_check', SEND_CHECK_SQL, [conversationId, principal.userId]);
    return this.sendPermission(principal, verdict);
  }

  /**
   * What a verdict of the send rule means for the caller: a stranger (or a missing chat)
   * gets 404, each refusal its own error; staff who are not yet participants may answer a
   * support chat by joining it.
   */
  sendPermission(principal: Principal, verdict: SendVerdict | undefined): SendPermission {
    const staffJoining = verdict?.kind === ConversationKind.Support && !verdict.member && isStaff(principal.role);
    if (!verdict || verdict.refusal === 'not_found' || (!verdict.member && !staffJoining)) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    switch (verdict.refusal) {
      case null:
        return { staffJoining };
      case 'blocked':
        throw new AppException('CHAT.BLOCKED', 'This chat is blocked; no new messages can be sent.');
      case 'not_active':
        throw new AppException('CHAT.NOT_ACTIVE', 'This chat is not active; reactivate it to send messages.');
      case 'room_archived':
        throw new AppException('CHAT.NOT_ACTIVE', 'This chat room is archived; activate it to send messages.');
      case 'room_forbids':
        throw new AppException('CHAT.SEND_NOT_ALLOWED', 'The room settings do not let you send messages here.');
    }
  }

  /** Staff reading a user's support conversation: clinical-data access, written to the audit log. */
  isStaffReadingSupport(principal: Principal, conversation: { kind: ConversationKind; supportUserId: string | null }): boolean {
    return conversation.kind === ConversationKind.Support && isStaff(principal.role) && conversation.supportUserId !== principal.userId;
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
}

/** How the caller reaches a conversation: as a current participant, as staff on a support conversation, or not at all. */
function reachedAs(principal: Principal, kind: ConversationKind, participant: { leftAt: Date | null } | null): 'member' | 'staff' | null {
  if (participant && !participant.leftAt) return 'member';
  if (kind === ConversationKind.Support && isStaff(principal.role)) return 'staff';
  return null;
}

/** A direct chat's room may hide the history from one side (provider = "therapist", client = "patient"). */
function assertHistoryVisible(
  kind: ConversationKind,
  role: ParticipantRole | null,
  room: Pick<ChatRoom, 'patientCanSeeHistory' | 'therapistCanSeeHistory'> | null,
): void {
  if (kind !== ConversationKind.Direct || role === null || !room) return;
  const allowed = role === ParticipantRole.Patient ? room.patientCanSeeHistory : room.therapistCanSeeHistory;
  if (!allowed) throw new AppException('CHAT.HISTORY_HIDDEN', 'The room settings hide the history from you.');
}
