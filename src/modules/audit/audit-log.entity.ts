import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction } from './audit-actions';

/**
 * One security-relevant event. Append-only: the service only inserts, and a trigger
 * (see the migration) refuses UPDATE and DELETE. No foreign keys, so entries outlive
 * what they mention; detail holds ids and reasons, never secrets or message text.
 */
@Entity('audit_log')
@Index('ix_audit_log_occurred_at', ['occurredAt'])
@Index('ix_audit_log_action', ['action', 'occurredAt'])
@Index('ix_audit_log_actor', ['actorId', 'occurredAt'])
@Index('ix_audit_log_target', ['targetId', 'occurredAt'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  /** Who did it; null for anonymous callers (a failed login for an unknown account) and the CLI. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
