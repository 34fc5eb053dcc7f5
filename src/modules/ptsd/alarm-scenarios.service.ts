import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { EntityManager, Repository } from 'typeorm';
import { AlarmScenario } from './entities/alarm-scenario.entity';
import { PtsdProfile } from './entities/ptsd-profile.entity';
import { AlarmScenarioDto, AlarmScenarioListQueryDto, CreateAlarmScenarioDto, UpdateAlarmScenarioDto } from './ptsd.dto';

/** Sorting of the scenario lists. */
export const ALARM_SCENARIOS_ORDERING = {
  orderable: { name: 's.name', created_at: 's.createdAt' },
  defaultOrdering: 'name',
} satisfies ListOrdering;

/**
 * The alarm-scenario catalogue. Exactly one scenario is the default at all times: the
 * partial unique index allows at most one, and every write that could move or drop the
 * flag runs under a table lock (catalogue writes are rare) that makes "clear the old
 * default, set the new one" one step for everyone else.
 */
@Injectable()
export class AlarmScenariosService {
  constructor(@InjectRepository(AlarmScenario) private readonly scenarios: Repository<AlarmScenario>) {}

  /** The active scenarios, for users choosing one. */
  listActive(query: PaginationQueryDto): Promise<Paginated<AlarmScenarioDto>> {
    return this.list({ ...query, active: true });
  }

  /** Every scenario (or only active/inactive ones), for staff. */
  async list(query: AlarmScenarioListQueryDto): Promise<Paginated<AlarmScenarioDto>> {
    const builder = this.scenarios.createQueryBuilder('s');
    if (query.active !== undefined) builder.where('s.active = :active', { active: query.active });
    const page = await paginate(builder, query, { ...ALARM_SCENARIOS_ORDERING, searchable: ['s.name'], dateColumn: 's.createdAt', tieBreaker: 's.id' });
    return page.map(toAlarmScenarioDto);
  }

  async create(dto: CreateAlarmScenarioDto): Promise<AlarmScenarioDto> {
    const active = dto.active ?? true;
    if (dto.is_default === true && !active) throw AppException.validation('active', 'active: the default scenario must be active');
    const scenario = await this.scenarios.manager.transaction(async (manager) => {
      await lockCatalogue(manager);
      if (dto.is_default === true) await manager.update(AlarmScenario, { isDefault: true }, { isDefault: false });
      return manager.save(
        manager.create(AlarmScenario, {
          name: dto.name,
          playMusic: dto.play_music ?? true,
          notifyContacts: dto.notify_contacts ?? true,
          notifyTherapist: dto.notify_therapist ?? false,
          messageEn: dto.messages.en,
          messageRu: dto.messages.ru ?? null,
          isDefault: dto.is_default ?? false,
          active,
        }),
      );
    });
    return toAlarmScenarioDto(scenario);
  }

  async update(id: string, dto: UpdateAlarmScenarioDto): Promise<AlarmScenarioDto> {
    const scenario = await this.scenarios.manager.transaction(async (manager) => {
      await lockCatalogue(manager);
      const scenario = await manager.findOneBy(AlarmScenario, { id });
      if (!scenario) throw notFound();
      if (scenario.isDefault && dto.is_default === false) {
        throw new AppException('PTSD.DEFAULT_SCENARIO_REQUIRED', 'There is always a default scenario: make another scenario the default instead.');
      }
      if (dto.active === false && (scenario.isDefault || dto.is_default === true)) {
        throw new AppException('PTSD.DEFAULT_SCENARIO_REQUIRED', 'The default scenario stays active: make another scenario the default first.');
      }
      if (dto.is_default === true && !scenario.isDefault) {
        if (!scenario.active && dto.active !== true) throw AppException.validation('active', 'active: the default scenario must be active');
        await manager.update(AlarmScenario, { isDefault: true }, { isDefault: false });
        scenario.isDefault = true;
      }
      if (dto.name !== undefined) scenario.name = dto.name;
      if (dto.play_music !== undefined) scenario.playMusic = dto.play_music;
      if (dto.notify_contacts !== undefined) scenario.notifyContacts = dto.notify_contacts;
      if (dto.notify_therapist !== undefined) scenario.notifyTherapist = dto.notify_therapist;
      if (dto.messages?.en !== undefined) scenario.messageEn = dto.messages.en;
      if (dto.messages?.ru !== undefined) scenario.messageRu = dto.messages.ru;
      if (dto.active !== undefined) scenario.active = dto.active;
      return manager.save(scenario);
    });
    return toAlarmScenarioDto(scenario);
  }

  /** Deletes a scenario nobody chose; a chosen one is deactivated instead. The default is neither. */
  async remove(id: string): Promise<void> {
    await this.scenarios.manager.transaction(async (manager) => {
      await lockCatalogue(manager);
      const scenario = await manager.findOneBy(AlarmScenario, { id });
      if (!scenario) throw notFound();
      if (scenario.isDefault) {
        throw new AppException('PTSD.DEFAULT_SCENARIO_REQUIRED', 'The default scenario cannot be removed: make another scenario the default first.');
      }
      const chosen = await manager.exists(PtsdProfile, { where: { scenarioId: id } });
      if (chosen) await manager.update(AlarmScenario, { id }, { active: false });
      else await manager.delete(AlarmScenario, { id });
    });
  }

  /** Whether the scenario exists and is active: what a profile may choose. */
  isChoosable(id: string): Promise<boolean> {
    return this.scenarios.exists({ where: { id, active: true } });
  }
}

/**
 * Serialises catalogue writes. SHARE ROW EXCLUSIVE conflicts with itself and with the
 * ROW EXCLUSIVE lock of any other write, but not with reads (nor with a profile's foreign
 * key check, which only locks the chosen row).
 */
async function lockCatalogue(manager: EntityManager): Promise<void> {
  await manager.query('LOCK TABLE "alarm_scenarios" IN SHARE ROW EXCLUSIVE MODE');
}

export function toAlarmScenarioDto(scenario: AlarmScenario): AlarmScenarioDto {
  return {
    id: scenario.id,
    name: scenario.name,
    play_music: scenario.playMusic,
    notify_contacts: scenario.notifyContacts,
    notify_therapist: scenario.notifyTherapist,
    messages: { en: scenario.messageEn, ru: scenario.messageRu },
    is_default: scenario.isDefault,
    active: scenario.active,
    created_at: scenario.createdAt.toISOString(),
    updated_at: scenario.updatedAt.toISOString(),
  };
}

const notFound = (): AppException => new AppException('PTSD.SCENARIO_NOT_FOUND', 'Alarm scenario not found.');
