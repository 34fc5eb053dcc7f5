import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** The PTSD profile, emergency contacts and therapist contact are the user's own; another user's therapist contact naming this account as their Haven therapist goes too (nobody is left to notify). */
@Injectable()
export class PtsdPersonalData extends FeaturePersonalData {
  readonly feature = 'ptsd';
  readonly tables = new Map([
    ['ptsd_profiles', 'deleted'],
    ['emergency_contacts', 'deleted'],
    ['therapist_contacts', "deleted: the account's own, and others' that name it as their Haven therapist"],
    ['music_tracks', 'no personal data: the catalogue'],
    ['alarm_scenarios', 'no personal data: the catalogue'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const [profile] = await rowsNaming(manager, 'ptsd_profiles', ['user_id'], userId);
    const emergencyContacts = await rowsNaming(manager, 'emergency_contacts', ['user_id'], userId);
    const [therapistContact] = await rowsNaming(manager, 'therapist_contacts', ['user_id'], userId);
    if (!profile && emergencyContacts.length === 0 && !therapistContact) return null;
    return { profile: profile ?? null, emergency_contacts: emergencyContacts, therapist_contact: therapistContact ?? null };
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM ptsd_profiles WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM emergency_contacts WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM therapist_contacts WHERE user_id = $1 OR therapist_user_id = $1', [userId]);
  }
}
