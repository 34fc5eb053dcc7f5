import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { Repository } from 'typeorm';
import { ALARM_PLAN_SQL } from './alarm-plan.sql';
import { EmergencyContact } from './entities/emergency-contact.entity';
import { isUsableTherapist } from './therapist-rules';
import { AlarmPlan, AlarmPlanContact, AlarmPlanScenario, AlarmPlanTherapist, AlarmPlanTrack, TherapistContactKind } from './ptsd.types';

interface ScenarioRow {
  id: string;
  name: string;
  playMusic: boolean;
  notifyContacts: boolean;
  notifyTherapist: boolean;
  messageEn: string;
  messageRu: string | null;
}

interface TherapistRow {
  kind: TherapistContactKind;
  name: string | null;
  phone: string | null;
  email: string | null;
  therapistUserId: string | null;
}

interface PlanRow {
  track: AlarmPlanTrack | null;
  scenario: ScenarioRow | null;
  contacts: AlarmPlanContact[];
  therapist: TherapistRow | null;
}

// PGlite and node-postgres both parse json columns; a driver returning text is parsed here.
const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/**
 * What the alarms module reads about a user's alarm setup: scenario, music, contacts and
 * therapist. One statement for the ptsd tables, plus one account lookup for a Haven therapist.
 */
@Injectable()
export class AlarmPlanService {
  constructor(
    private readonly hot: HotQueries,
    private readonly directory: UserDirectoryService,
    @InjectRepository(EmergencyContact) private readonly contacts: Repository<EmergencyContact>,
  ) {}

  /** Everything an alarm needs about the user, read in as few queries as possible (it is on the alarm's hot path). */
  async planFor(userId: string): Promise<AlarmPlan> {
    const [row] = await this.hot.query<PlanRow>('ptsd_alarm_plan', ALARM_PLAN_SQL, [userId]);
    const scenario = json<ScenarioRow | null>(row.scenario);
    return {
      scenario: scenario ? toPlanScenario(scenario) : null,
      track: json<AlarmPlanTrack | null>(row.track),
      contacts: json<AlarmPlanContact[]>(row.contacts),
      therapist: await this.therapist(json<TherapistRow | null>(row.therapist)),
    };
  }

  /** One contact of the user, for a delivery (null when deleted meanwhile). */
  async contact(userId: string, contactId: string): Promise<AlarmPlanContact | null> {
    const found = await this.contacts.findOne({ where: { id: contactId, userId } });
    return found ? toPlanContact(found) : null;
  }

  private async therapist(row: TherapistRow | null): Promise<AlarmPlanTherapist | null> {
    if (!row) return null;
    if (row.kind === TherapistContactKind.External) {
      return { kind: 'external', name: row.name ?? '', email: row.email ?? '', phone: row.phone ?? '' };
    }
    const card = row.therapistUserId ? await this.directory.find(row.therapistUserId) : null;
    if (!card || !isUsableTherapist(card)) return null;
    return { kind: 'platform', userId: card.id, name: `${card.firstName} ${card.lastName}`.trim() };
  }
}

export function toPlanContact(contact: EmergencyContact): AlarmPlanContact {
  return {
    id: contact.id,
    name: contact.name,
    relationship: contact.relationship,
    phone: contact.phone,
    email: contact.email,
    language: contact.language,
  };
}

function toPlanScenario(row: ScenarioRow): AlarmPlanScenario {
  return {
    id: row.id,
    name: row.name,
    playMusic: row.playMusic,
    notifyContacts: row.notifyContacts,
    notifyTherapist: row.notifyTherapist,
    messages: row.messageRu === null ? { en: row.messageEn } : { en: row.messageEn, ru: row.messageRu },
  };
}
