import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlarmStatus, DeliveryChannel, DeliveryStatus } from './alarms.types';

/** The alarm figures an operator watches (the operations dashboard). */
export interface AlarmStats {
  /** Alarms not yet resolved. */
  open: number;
  /** When the oldest open alarm was triggered; null when none is open. */
  oldestOpenAt: Date | null;
  /** Alarm emails not delivered yet: still queued (waiting for, or between, attempts). */
  emailsQueued: number;
  /** Alarm emails whose every attempt failed (staff may retry them). */
  emailsFailed: number;
}

/** Aggregate alarm figures for staff; counts only, never whose alarm or where. */
@Injectable()
export class AlarmStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Open alarms (with the oldest one's trigger time) and undelivered alarm emails, in one
   * statement: the open alarms from the partial index ix_alarms_open, the emails from
   * ix_alarm_deliveries_status_created (status `queued` or `failed`, channel email; sent,
   * acknowledged and suppressed deliveries are not read).
   */
  async stats(): Promise<AlarmStats> {
    const [row] = await this.dataSource.query<Array<{ open: number; oldest_open_at: Date | null; emails_queued: number; emails_failed: number }>>(
      `SELECT a.open, a.oldest_open_at, d.emails_queued, d.emails_failed
         FROM (SELECT count(*)::int AS open, min(triggered_at) AS oldest_open_at FROM alarms WHERE status = $1) a,
              (SELECT count(*) FILTER (WHERE status = $2)::int AS emails_queued,
                      count(*) FILTER (WHERE status = $3)::int AS emails_failed
                 FROM alarm_deliveries WHERE status IN ($2, $3) AND channel = $4) d`,
      [AlarmStatus.Open, DeliveryStatus.Queued, DeliveryStatus.Failed, DeliveryChannel.Email],
    );
    return {
      open: row.open,
      oldestOpenAt: row.oldest_open_at ? new Date(row.oldest_open_at) : null,
      emailsQueued: row.emails_queued,
      emailsFailed: row.emails_failed,
    };
  }
}
