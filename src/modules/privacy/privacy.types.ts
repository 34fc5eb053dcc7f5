/** Where a data export stands. */
export enum DataExportStatus {
  /** Requested; the archive is being built by a background job. */
  Pending = 'pending',
  /** Built: a download link can be made until `expires_at`. */
  Ready = 'ready',
  /** Building failed after its retries; request a new one. */
  Failed = 'failed',
  /** Its time passed and the archive was removed. */
  Expired = 'expired',
}

/** The archive's format name, in its first field: bump it when the layout changes. */
export const ARCHIVE_FORMAT = 'haven-archive/1';
