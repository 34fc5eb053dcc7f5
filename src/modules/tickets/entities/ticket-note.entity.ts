import type { User } from 'src/modules/users/user.entity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Ticket } from './ticket.entity';

/** An internal staff note on a ticket: never shown to the requester. Encrypted; body and author null once the author was erased. */
@Entity('ticket_notes')
@Index('ix_ticket_notes_ticket', ['ticketId', 'createdAt'])
@Index('ix_ticket_notes_author', ['authorId'])
export class TicketNote {
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

  @Column({ type: 'text', nullable: true })
  bodyEncrypted!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
