import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { Repository } from 'typeorm';
import { MusicTrack } from './entities/music-track.entity';
import { PtsdProfile } from './entities/ptsd-profile.entity';
import { CreateMusicTrackDto, MusicTrackDto, MusicTrackListQueryDto, UpdateMusicTrackDto } from './ptsd.dto';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';

/** Sorting of the track lists. */
export const MUSIC_TRACKS_ORDERING = {
  orderable: { name: 't.name', created_at: 't.createdAt', duration_seconds: 't.durationSeconds' },
  defaultOrdering: 'name',
} satisfies ListOrdering;

/** The calming-music catalogue: staff curate it, every user reads the active tracks. */
@Injectable()
export class MusicTracksService {
  constructor(@InjectRepository(MusicTrack) private readonly tracks: Repository<MusicTrack>) {}

  /** The active tracks, for users choosing one. */
  async listActive(query: PaginationQueryDto): Promise<Paginated<MusicTrackDto>> {
    return this.list({ ...query, active: true });
  }

  /** Every track (or only active/inactive ones), for staff. */
  async list(query: MusicTrackListQueryDto): Promise<Paginated<MusicTrackDto>> {
    const builder = this.tracks.createQueryBuilder('t');
    if (query.active !== undefined) builder.where('t.active = :active', { active: query.active });
    const page = await paginate(builder, query, { ...MUSIC_TRACKS_ORDERING, searchable: ['t.name'], dateColumn: 't.createdAt', tieBreaker: 't.id' });
    return page.map(toMusicTrackDto);
  }

  async create(dto: CreateMusicTrackDto): Promise<MusicTrackDto> {
    const track = await this.tracks.save(
      this.tracks.create({ name: dto.name, url: dto.url, durationSeconds: dto.duration_seconds ?? null, active: dto.active ?? true }),
    );
    return toMusicTrackDto(track);
  }

  async update(id: string, dto: UpdateMusicTrackDto): Promise<MusicTrackDto> {
    const track = await this.trackOrThrow(id);
    if (dto.name !== undefined) track.name = dto.name;
    if (dto.url !== undefined) track.url = dto.url;
    if (dto.duration_seconds !== undefined) track.durationSeconds = dto.duration_seconds;
    if (dto.active !== undefined) track.active = dto.active;
    return toMusicTrackDto(await this.tracks.save(track));
  }

  /**
   * Deletes a track nobody chose; a chosen one is deactivated instead (their profile keeps
   * it, alarms stop playing it). The row lock keeps a profile from choosing it meanwhile.
   */
  async remove(id: string): Promise<void> {
    await this.tracks.manager.transaction(async (manager) => {
      const track = await manager.findOne(MusicTrack, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!track) throw notFound();
      const chosen = await manager.exists(PtsdProfile, { where: { musicTrackId: id } });
      if (chosen) await manager.update(MusicTrack, { id }, { active: false });
      else await manager.delete(MusicTrack, { id });
    });
  }

  /** Whether the track exists and is active: what a profile may choose. */
  isChoosable(id: string): Promise<boolean> {
    return this.tracks.exists({ where: { id, active: true } });
  }

  private async trackOrThrow(id: string): Promise<MusicTrack> {
    const track = await this.tracks.findOneBy({ id });
    if (!track) throw notFound();
    return track;
  }
}

export function toMusicTrackDto(track: MusicTrack): MusicTrackDto {
  return {
    id: track.id,
    name: track.name,
    url: track.url,
    duration_seconds: track.durationSeconds,
    active: track.active,
    created_at: track.createdAt.toISOString(),
    updated_at: track.updatedAt.toISOString(),
  };
}

const notFound = (): AppException => new AppException('PTSD.TRACK_NOT_FOUND', 'Music track not found.');
