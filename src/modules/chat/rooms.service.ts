import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { Repository } from 'typeorm';
import { ChatAccessService, ConversationAccess } from './chat-access.service';
import { ChatRoomDto, RoomPermissionsDto, UpdateRoomDto } from './chat.dto';
import { ChatRoom } from './entities/chat-room.entity';
import { ConversationKind } from './entities/conversation.entity';

const toRoomDto = (room: ChatRoom): ChatRoomDto => ({
  chat_id: room.conversationId,
  room_type: room.roomType,
  therapist_can_send: room.therapistCanSend,
  patient_can_send: room.patientCanSend,
  therapist_can_see_history: room.therapistCanSeeHistory,
  patient_can_see_history: room.patientCanSeeHistory,
  description: room.description,
  tags: room.tags,
  is_active: room.isActive,
  is_archived: room.isArchived,
});

/** TherapyConnect chat rooms: settings of a direct chat, managed by its provider side or staff. */
@Injectable()
export class RoomsService {
  constructor(
    @InjectRepository(ChatRoom) private readonly rooms: Repository<ChatRoom>,
    private readonly access: ChatAccessService,
    private readonly realtime: RealtimeServer,
  ) {}

  async get(principal: Principal, conversationId: string): Promise<ChatRoomDto> {
    const access = await this.access.access(principal, conversationId);
    return toRoomDto(await this.roomOf(access));
  }

  async update(principal: Principal, conversationId: string, dto: UpdateRoomDto): Promise<ChatRoomDto> {
    return this.change(principal, conversationId, {
      ...(dto.room_type !== undefined ? { roomType: dto.room_type } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.tags !== undefined ? { tags: dto.tags } : {}),
    });
  }

  async updatePermissions(principal: Principal, conversationId: string, dto: RoomPermissionsDto): Promise<ChatRoomDto> {
    return this.change(principal, conversationId, {
      ...(dto.therapist_can_send !== undefined ? { therapistCanSend: dto.therapist_can_send } : {}),
      ...(dto.patient_can_send !== undefined ? { patientCanSend: dto.patient_can_send } : {}),
      ...(dto.therapist_can_see_history !== undefined ? { therapistCanSeeHistory: dto.therapist_can_see_history } : {}),
      ...(dto.patient_can_see_history !== undefined ? { patientCanSeeHistory: dto.patient_can_see_history } : {}),
    });
  }

  archive(principal: Principal, conversationId: string): Promise<ChatRoomDto> {
    return this.change(principal, conversationId, { isArchived: true, isActive: false });
  }

  activate(principal: Principal, conversationId: string): Promise<ChatRoomDto> {
    return this.change(principal, conversationId, { isArchived: false, isActive: true });
  }

  private async change(principal: Principal, conversationId: string, patch: Partial<ChatRoom>): Promise<ChatRoomDto> {
    const access = await this.access.access(principal, conversationId);
    const room = await this.roomOf(access);
    if (!this.access.canManageRoom(principal, access)) throw new AppException('CHAT.ROOM_MANAGE_FORBIDDEN', 'Only the therapist of this chat or staff manage its room.');
    if (Object.keys(patch).length > 0) await this.rooms.update(conversationId, patch);
    const dto = toRoomDto(await this.rooms.findOneByOrFail({ conversationId: room.conversationId }));
    this.realtime.toChat(conversationId, 'room_updated', dto);
    return dto;
  }

  private async roomOf(access: ConversationAccess): Promise<ChatRoom> {
    const room = access.conversation.kind === ConversationKind.Direct ? await this.rooms.findOneBy({ conversationId: access.conversation.id }) : null;
    if (!room) throw new AppException('CHAT.NOT_FOUND', 'This chat has no room settings (only direct chats do).');
    return room;
  }
}
