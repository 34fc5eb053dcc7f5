import { Check, Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Conversation } from './conversation.entity';

export enum RoomType {
  Therapy = 'therapy',
  Consultation = 'consultation',
  Emergency = 'emergency',
  General = 'general',
}

/**
 * TherapyConnect's chat room: settings and per-side permissions of a direct chat,
 * enforced by the message endpoints. "Therapist" is the provider side, "patient" the client side.
 */
@Entity('chat_rooms')
@Check('ck_chat_rooms_type', `"room_type" IN ('therapy', 'consultation', 'emergency', 'general')`)
export class ChatRoom {
  @PrimaryColumn({ type: 'uuid' })
  conversationId!: string;

  @OneToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  @Column({ type: 'varchar', length: 16, default: RoomType.Therapy })
  roomType!: RoomType;

  @Column({ type: 'boolean', default: true })
  therapistCanSend!: boolean;

  @Column({ type: 'boolean', default: true })
  patientCanSend!: boolean;

  @Column({ type: 'boolean', default: true })
  therapistCanSeeHistory!: boolean;

  @Column({ type: 'boolean', default: true })
  patientCanSeeHistory!: boolean;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: string[];

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ type: 'boolean', default: false })
  isArchived!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
