import type { Attachment } from 'src/modules/chat/entities/attachment.entity';
import type { User } from 'src/modules/users/user.entity';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from './ticket.entity';

/**
 * A reply in a ticket's public thread, by the requester or staff. The body is encrypted
 * (bound to the reply id); body and author are null once the author's data was erased.
 */
@Entity('ticket_replies')
@Index('ix_ticket_replies_ticket', ['ticketId', 'createdAt'])
@Index('ix_ticket_replies_author', ['authorId'])
export class TicketReply {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  ticketId!: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Relation<Ticket>;

  @Column({ type: 'uuid', nullable: true })
  authorId!: string | null;

  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<User>;

  /** Written by staff (else by the requester); kept when the author is erased. */
  @Column({ type: 'boolean' })
  fromStaff!: boolean;

  @Column({ type: 'text', nullable: true })
  bodyEncrypted!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A chat attachment (the chat module's store) carried by a reply. */
@Entity('ticket_reply_attachments')
@Index('ix_ticket_reply_attachments_attachment', ['attachmentId'])
export class TicketReplyAttachment {
  @PrimaryColumn({ type: 'uuid' })
  replyId!: string;

  @ManyToOne(() => TicketReply, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reply_id' })
  reply?: Relation<TicketReply>;

  @PrimaryColumn({ type: 'uuid' })
  attachmentId!: string;

  @ManyToOne('Attachment', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'attachment_id' })
  attachment?: Relation<Attachment>;

  /** Order in the reply. */
  @Column({ type: 'smallint' })
  position!: number;
}
