import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { Repository } from 'typeorm';
import { TherapistContact } from './entities/therapist-contact.entity';
import { PutTherapistContactDto, TherapistContactDto, UpdateTherapistContactDto } from './ptsd.dto';
import { TherapistContactKind } from './ptsd.types';
import { isUsableTherapist } from './therapist-rules';

const EXTERNAL_FIELDS = ['name', 'phone', 'email'] as const;

/** The contact's columns once a write is checked: one of the two shapes the table allows. */
type ContactShape =
  | { kind: TherapistContactKind.External; name: string; phone: string; email: string; therapistUserId: null }
  | { kind: TherapistContactKind.Platform; name: null; phone: null; email: null; therapistUserId: string };

/**
 * The user's therapist contact (one per user): someone outside Haven with name, phone and
 * email, or a verified Haven therapist by account.
 */
@Injectable()
export class TherapistContactService {
  constructor(
    @InjectRepository(TherapistContact) private readonly contacts: Repository<TherapistContact>,
    private readonly directory: UserDirectoryService,
  ) {}

  async get(userId: string): Promise<TherapistContactDto> {
    const contact = await this.contacts.findOneBy({ userId });
    if (!contact) throw notFound();
    return this.toDto(contact);
  }

  /** The contact as the profile embeds it, or null. */
  async find(userId: string): Promise<TherapistContactDto | null> {
    const contact = await this.contacts.findOneBy({ userId });
    return contact ? this.toDto(contact) : null;
  }

  /** Creates or replaces the contact; `created` says which. */
  async put(userId: string, dto: PutTherapistContactDto): Promise<{ created: boolean; contact: TherapistContactDto }> {
    const shape = await this.checkedShape(userId, dto);
    const result = await this.contacts
      .createQueryBuilder()
      .insert()
      .values({ userId, ...shape })
      .orUpdate(['kind', 'name', 'phone', 'email', 'therapist_user_id', 'updated_at'], ['user_id'])
      .returning(['created_at', 'updated_at'])
      .execute();
    // A fresh row has both stamps from the same now(); a replaced one kept its created_at.
    const [row] = result.raw as Array<{ created_at: Date | string; updated_at: Date | string }>;
    const created = new Date(row.created_at).getTime() === new Date(row.updated_at).getTime();
    return { created, contact: await this.get(userId) };
  }

  /** Changes fields of the existing contact (404 when there is none). */
  async update(userId: string, dto: UpdateTherapistContactDto): Promise<TherapistContactDto> {
    const existing = await this.contacts.findOneBy({ userId });
    if (!existing) throw notFound();
    const givesExternal = EXTERNAL_FIELDS.some((field) => dto[field] !== undefined);
    if (dto.therapist_user_id === undefined && !givesExternal) return this.toDto(existing);
    // Fields left out keep their values; a Haven therapist has none to keep, so switching to external needs all three.
    const merged: PutTherapistContactDto =
      dto.therapist_user_id === undefined && existing.kind === TherapistContactKind.External
        ? { name: dto.name ?? existing.name ?? undefined, phone: dto.phone ?? existing.phone ?? undefined, email: dto.email ?? existing.email ?? undefined }
        : dto;
    const shape = await this.checkedShape(userId, merged);
    await this.contacts.update({ userId }, shape);
    return this.get(userId);
  }

  async remove(userId: string): Promise<void> {
    const result = await this.contacts.delete({ userId });
    if (!result.affected) throw notFound();
  }

  /** Checks a write is one of the two shapes (400 naming the fields otherwise). */
  private async checkedShape(userId: string, dto: PutTherapistContactDto): Promise<ContactShape> {
    if (dto.therapist_user_id !== undefined) {
      const extra = EXTERNAL_FIELDS.filter((field) => dto[field] !== undefined);
      if (extra.length > 0) {
        throw AppException.invalidFields(Object.fromEntries(extra.map((field) => [field, [`${field} must be left out when therapist_user_id is given`]])));
      }
      await this.checkTherapist(userId, dto.therapist_user_id);
      return { kind: TherapistContactKind.Platform, name: null, phone: null, email: null, therapistUserId: dto.therapist_user_id };
    }
    const missing = EXTERNAL_FIELDS.filter((field) => dto[field] === undefined);
    if (missing.length > 0) {
      throw new AppException(
        'COMMON.VALIDATION_FAILED',
        'An external therapist needs name, phone and email; a Haven therapist is given by therapist_user_id.',
        Object.fromEntries(missing.map((field) => [field, [`${field} is required for an external therapist (or give therapist_user_id)`]])),
      );
    }
    return { kind: TherapistContactKind.External, name: dto.name!, phone: dto.phone!, email: dto.email!, therapistUserId: null };
  }

  private async checkTherapist(userId: string, therapistUserId: string): Promise<void> {
    if (therapistUserId === userId) throw AppException.validation('therapist_user_id', 'therapist_user_id: you cannot be your own therapist contact');
    const card = await this.directory.find(therapistUserId);
    if (!card || !isUsableTherapist(card)) {
      throw AppException.validation('therapist_user_id', 'therapist_user_id: no such active, verified Haven therapist');
    }
  }

  private async toDto(contact: TherapistContact): Promise<TherapistContactDto> {
    const platformName = contact.therapistUserId ? await this.directory.displayName(contact.therapistUserId) : null;
    return {
      kind: contact.kind,
      name: contact.kind === TherapistContactKind.Platform ? (platformName ?? '') : (contact.name ?? ''),
      phone: contact.phone,
      email: contact.email,
      therapist_user_id: contact.therapistUserId,
      created_at: contact.createdAt.toISOString(),
      updated_at: contact.updatedAt.toISOString(),
    };
  }
}

const notFound = (): AppException => new AppException('PTSD.THERAPIST_CONTACT_NOT_FOUND', 'You have no therapist contact.');
