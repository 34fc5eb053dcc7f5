import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { User } from 'src/modules/users/user.entity';
import { DataExportStatus } from '../privacy.types';

/**
 * A user's request for their archive (right of access and portability). The archive is
 * stored gzipped and encrypted (bound to this row) until `expires_at`, then removed. A
 * download needs the owner's sign-in and a single-use link token (only its hash is stored).
 */
@Entity('data_exports')
@Index('ix_data_exports_user', ['userId', 'requestedAt'])
// One archive being built per user: concurrent requests converge on it.
@Index('uq_data_exports_pending', ['userId'], { unique: true, where: "status = 'pending'" })
@Index('ix_data_exports_expiry', ['expiresAt'], { where: "status = 'ready'" })
@Check('ck_data_exports_status', `"status" IN ('pending', 'ready', 'failed', 'expired')`)
export class DataExport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16, default: DataExportStatus.Pending })
  status!: DataExportStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readyAt!: Date | null;

  /** When the archive is removed (ready exports). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  archiveEncrypted!: string | null;

  /** Size of the archive's JSON, in bytes. */
  @Column({ type: 'integer', nullable: true })
  sizeBytes!: number | null;

  /** SHA-256 of the current download link's token; a new link replaces the old. */
  @Column({ type: 'char', length: 64, nullable: true })
  linkTokenHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  linkExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  linkUsedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  downloads!: number;

  /** Why building the archive failed (no personal data: an error class and message of ours). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;
}
