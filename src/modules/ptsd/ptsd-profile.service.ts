import { isForeignKeyViolation } from 'src/infrastructure/database/hot-queries.service';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { EntityManager, Repository } from 'typeorm';
import { AlarmScenariosService } from './alarm-scenarios.service';
import { PtsdProfile } from './entities/ptsd-profile.entity';
import { MusicTracksService } from './music-tracks.service';
import { PtsdProfileDto, UpdatePtsdProfileDto } from './ptsd.dto';
import { TherapistContactService } from './therapist-contact.service';

const NO_SUCH_TRACK = 'music_track_id: no such track (choose an active one from /api/v1/music-tracks)';
const NO_SUCH_SCENARIO = 'scenario_id: no such scenario (choose an active one from /api/v1/alarm-scenarios)';

/** The PTSD profile (seed UserInfo): one per user, created on first write. */
@Injectable()
export class PtsdProfileService {
  constructor(
    @InjectRepository(PtsdProfile) private readonly profiles: Repository<PtsdProfile>,
    private readonly tracks: MusicTracksService,
    private readonly scenarios: AlarmScenariosService,
    private readonly therapist: TherapistContactService,
  ) {}

  /** The user's profile; nulls everywhere before the first write. */
  async get(userId: string): Promise<PtsdProfileDto> {
    const [profile, therapist] = await Promise.all([this.profiles.findOneBy({ userId }), this.therapist.find(userId)]);
    return {
      age: profile?.age ?? null,
      location: profile?.location ?? null,
      military_status: profile?.militaryStatus ?? null,
      ptsd_level: profile?.ptsdLevel ?? null,
      music_track_id: profile?.musicTrackId ?? null,
      scenario_id: profile?.scenarioId ?? null,
      therapist_contact: therapist,
      updated_at: profile ? profile.updatedAt.toISOString() : null,
    };
  }

  /** Sets the given fields (null clears one); a track or scenario must exist and be active. */
  async update(userId: string, dto: UpdatePtsdProfileDto): Promise<PtsdProfileDto> {
    if (dto.music_track_id != null && !(await this.tracks.isChoosable(dto.music_track_id))) {
      throw AppException.validation('music_track_id', NO_SUCH_TRACK);
    }
    if (dto.scenario_id != null && !(await this.scenarios.isChoosable(dto.scenario_id))) {
      throw AppException.validation('scenario_id', NO_SUCH_SCENARIO);
    }
    const changes: Partial<PtsdProfile> = {};
    if (dto.age !== undefined) changes.age = dto.age;
    if (dto.location !== undefined) changes.location = dto.location;
    if (dto.military_status !== undefined) changes.militaryStatus = dto.military_status;
    if (dto.ptsd_level !== undefined) changes.ptsdLevel = dto.ptsd_level;
    if (dto.music_track_id !== undefined) changes.musicTrackId = dto.music_track_id;
    if (dto.scenario_id !== undefined) changes.scenarioId = dto.scenario_id;
    try {
      await this.profiles.manager.transaction(async (manager) => {
        await ensureProfile(manager, userId);
        if (Object.keys(changes).length > 0) await manager.update(PtsdProfile, { userId }, changes);
      });
    } catch (error) {
      // The track or scenario was deleted between the check and the write.
      if (isForeignKeyViolation(error)) {
        throw dto.music_track_id != null ? AppException.validation('music_track_id', NO_SUCH_TRACK) : AppException.validation('scenario_id', NO_SUCH_SCENARIO);
      }
      throw error;
    }
    return this.get(userId);
  }
}

/** Creates the user's profile row when missing (first write), in the caller's transaction. */
export async function ensureProfile(manager: EntityManager, userId: string): Promise<void> {
  await manager.createQueryBuilder().insert().into(PtsdProfile).values({ userId }).orIgnore().execute();
}
