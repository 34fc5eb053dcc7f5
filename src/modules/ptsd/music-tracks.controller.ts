import { WithMessage } from 'src/common/http/envelope';
import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { MUSIC_TRACKS_ORDERING, MusicTracksService } from './music-tracks.service';
import { CreateMusicTrackDto, MusicTrackDto, MusicTrackListQueryDto, UpdateMusicTrackDto } from './ptsd.dto';

/** The calming tracks users choose from. */
@ApiTags('ptsd')
@Controller('music-tracks')
export class MusicTracksController {
  constructor(private readonly tracks: MusicTracksService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The active calming tracks.' })
  @ApiOrdering(MUSIC_TRACKS_ORDERING)
  @ApiEnvelope(MusicTrackDto, { paginated: true })
  list(@Query() query: PaginationQueryDto): Promise<Paginated<MusicTrackDto>> {
    return this.tracks.listActive(query);
  }
}

/** Staff curate the music catalogue. */
@ApiTags('admin')
@Controller('admin/music-tracks')
export class AdminMusicTracksController {
  constructor(private readonly tracks: MusicTracksService) {}

  @Post()
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Add a track (an https URL).' })
  @ApiEnvelope(MusicTrackDto, { status: HttpStatus.CREATED })
  create(@Body() dto: CreateMusicTrackDto): Promise<MusicTrackDto> {
    return this.tracks.create(dto);
  }

  @Get()
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Every track, active or not.' })
  @ApiOrdering(MUSIC_TRACKS_ORDERING)
  @ApiEnvelope(MusicTrackDto, { paginated: true })
  list(@Query() query: MusicTrackListQueryDto): Promise<Paginated<MusicTrackDto>> {
    return this.tracks.list(query);
  }

  @Patch(':id')
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Change a track; null clears the duration.' })
  @ApiEnvelope(MusicTrackDto)
  @ApiError('PTSD.TRACK_NOT_FOUND')
  update(@UuidParam('id') id: string, @Body() dto: UpdateMusicTrackDto): Promise<MusicTrackDto> {
    return this.tracks.update(id, dto);
  }

  @Delete(':id')
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Delete a track nobody chose; a chosen one is deactivated instead.' })
  @ApiEnvelope('null')
  @ApiError('PTSD.TRACK_NOT_FOUND')
  async remove(@UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.tracks.remove(id);
    return new WithMessage(null, 'Deleted (or deactivated where users chose it).');
  }
}
