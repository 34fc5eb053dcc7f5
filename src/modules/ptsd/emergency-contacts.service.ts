import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Repository } from 'typeorm';
import { EmergencyContact } from './entities/emergency-contact.entity';
import { PtsdProfile } from './entities/ptsd-profile.entity';
import { CreateEmergencyContactDto, EmergencyContactDto, UpdateEmergencyContactDto } from './ptsd.dto';
import { ensureProfile } from './ptsd-profile.service';

/** The most emergency contacts a user keeps: an alarm notifies them all at once. */
export const MAX_EMERGENCY_CONTACTS = 10;

/** Sorting of the contact list (oldest first, as alarms notify them). */
export const EMERGENCY_CONTACTS_ORDERING = {
  orderable: { created_at: 'c.createdAt', name: 'c.name', relationship: 'c.relationship' },
  defaultOrdering: 'created_at',
} satisfies ListOrdering;

/** The people a user's alarm notifies. */
@Injectable()
export class EmergencyContactsService {
  constructor(@InjectRepository(EmergencyContact) private readonly contacts: Repository<EmergencyContact>) {}

  async list(userId: string, query: PaginationQueryDto): Promise<Paginated<EmergencyContactDto>> {
    const builder = this.contacts.createQueryBuilder('c').where('c.userId = :userId', { userId });
    const page = await paginate(builder, query, {
      ...EMERGENCY_CONTACTS_ORDERING,
      searchable: ['c.name', 'c.relationship'],
      dateColumn: 'c.createdAt',
      tieBreaker: 'c.id',
    });
    return page.map(toEmergencyContactDto);
  }

  async get(userId: string, id: string): Promise<EmergencyContactDto> {
    return toEmergencyContactDto(await this.contactOrThrow(userId, id));
  }

  /**
   * Adds a contact. The cap is counted under the lock of the user's profile row (created
   * here when missing), so parallel creates queue up and cannot pass it together.
   */
  async create(userId: string, dto: CreateEmergencyContactDto): Promise<EmergencyContactDto> {
    const contact = await this.contacts.manager.transaction(async (manager) => {
      await ensureProfile(manager, userId);
      await manager.findOne(PtsdProfile, { where: { userId }, select: { userId: true }, lock: { mode: 'pessimistic_write' } });
      const count = await manager.countBy(EmergencyContact, { userId });
      if (count >= MAX_EMERGENCY_CONTACTS) {
        throw new AppException('PTSD.CONTACT_LIMIT', `You can keep at most ${MAX_EMERGENCY_CONTACTS} emergency contacts: remove one first.`);
      }
      return manager.save(
        manager.create(EmergencyContact, {
          userId,
          name: dto.name,
          phone: dto.phone,
          email: dto.email ?? null,
          relationship: dto.relationship,
          language: dto.language ?? 'en',
        }),
      );
    });
    return toEmergencyContactDto(contact);
  }

  async update(userId: string, id: string, dto: UpdateEmergencyContactDto): Promise<EmergencyContactDto> {
    const contact = await this.contactOrThrow(userId, id);
    if (dto.name !== undefined) contact.name = dto.name;
    if (dto.phone !== undefined) contact.phone = dto.phone;
    if (dto.email !== undefined) contact.email = dto.email;
    if (dto.relationship !== undefined) contact.relationship = dto.relationship;
    if (dto.language !== undefined) contact.language = dto.language;
    return toEmergencyContactDto(await this.contacts.save(contact));
  }

  async remove(userId: string, id: string): Promise<void> {
    const result = await this.contacts.delete({ id, userId });
    if (!result.affected) throw notFound();
  }

  // Scoped by owner in the query: another user's contact is "not found", like a missing one.
  private async contactOrThrow(userId: string, id: string): Promise<EmergencyContact> {
    const contact = await this.contacts.findOneBy({ id, userId });
    if (!contact) throw notFound();
    return contact;
  }
}

export function toEmergencyContactDto(contact: EmergencyContact): EmergencyContactDto {
  return {
    id: contact.id,
    name: contact.name,
    phone: contact.phone,
    email: contact.email,
    relationship: contact.relationship,
    language: contact.language,
    created_at: contact.createdAt.toISOString(),
    updated_at: contact.updatedAt.toISOString(),
  };
}

const notFound = (): AppException => new AppException('PTSD.CONTACT_NOT_FOUND', 'Emergency contact not found.');
