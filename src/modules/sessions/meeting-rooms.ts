import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from 'src/config/app-config';

/** The meeting-provider port: names a room for a voice or video session and links to it. */
export abstract class MeetingRooms {
  abstract newRoom(): string;
  abstract joinUrl(room: string): string;
}

/** Default adapter: a room with an unguessable name on a Jitsi-compatible server (config.sessions.meetingBaseUrl). */
@Injectable()
export class JitsiMeetingRooms extends MeetingRooms {
  constructor(private readonly config: AppConfig) {
    super();
  }

  newRoom(): string {
    return `haven-${randomBytes(16).toString('hex')}`;
  }

  joinUrl(room: string): string {
    return `${this.config.sessions.meetingBaseUrl}/${room}`;
  }
}
