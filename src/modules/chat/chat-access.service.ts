import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { STAFF_ROLES, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { EntityManager, Repository } from 'typeorm';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation, ConversationKind } from './entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';

export const isStaff = (role: Role): boolean => (STAFF_ROLES as readonly Role[]).includes(role);

/** How the caller reaches a conversation: as one of its participants, or as staff on a support conversation. */
export interface ConversationAccess {
  conversation: Conversation;
  /** Null when the caller is staff reading a support conversation they have not joined. */
  participant: ConversationParticipant | null;
  viaStaff: boolean;
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

  /** Staff reading a user's support conversation: clinical-data access, written to the audit log. */
  isStaffReadingSupport(principal: Principal, access: ConversationAccess): boolean {
    return access.conversation.kind === ConversationKind.Support && isStaff(principal.role) && access.conversation.supportUserId !== principal.userId;
  }

  /** May the caller moderate (remove others' messages, members) in this conversation? */
  canModerate(principal: Principal, access: ConversationAccess): boolean {
    if (isStaff(principal.role)) return true;
    return access.participant?.role === ParticipantRole.Moderator;
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
