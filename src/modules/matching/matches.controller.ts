import { Body, Controller, Delete, Get, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { MATCHES_ORDERING, MatchesService } from './matches.service';
import { MatchingPreferencesService } from './matching-preferences.service';
import {
  CreateMatchDto,
  MatchDto,
  MatchingPreferencesDto,
  MatchingPreferencesInputDto,
  MatchListQueryDto,
  SuggestionDto,
  SUGGESTIONS_MAX,
  SuggestionsQueryDto,
} from './matching.dto';
import { SuggestionsService } from './suggestions.service';

/** HumanLink matches between clients and providers, their compatibility scores, suggestions and preferences. */
@ApiTags('matches')
@Controller('matches')
export class MatchesController {
  constructor(
    private readonly matches: MatchesService,
    private readonly preferences: MatchingPreferencesService,
    private readonly suggestions: SuggestionsService,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your matches (as client or provider); staff see every match.' })
  @ApiOrdering(MATCHES_ORDERING)
  @ApiEnvelope(MatchDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: MatchListQueryDto): Promise<Paginated<MatchDto>> {
    return this.matches.list(user, query);
  }

  @Post()
  @Authenticated(Permission.MatchesManage)
  @ApiOperation({ summary: 'Match a client with a therapist or friend (managers and admins); the score follows in the background.' })
  @ApiEnvelope(MatchDto, { status: HttpStatus.CREATED })
  @ApiError('MATCHING.ALREADY_MATCHED')
  create(@CurrentUser() user: Principal, @Body() dto: CreateMatchDto): Promise<MatchDto> {
    return this.matches.create(user, dto);
  }

  @Get('preferences')
  @Authenticated()
  @ApiOperation({ summary: 'Your matching preferences: languages, topics, session types.' })
  @ApiEnvelope(MatchingPreferencesDto)
  getPreferences(@CurrentUser() user: Principal): Promise<MatchingPreferencesDto> {
    return this.preferences.get(user.userId);
  }

  @Put('preferences')
  @Authenticated()
  @ApiOperation({ summary: 'Replace your matching preferences; your open matches are rescored shortly after.' })
  @ApiEnvelope(MatchingPreferencesDto)
  putPreferences(@CurrentUser() user: Principal, @Body() dto: MatchingPreferencesInputDto): Promise<MatchingPreferencesDto> {
    return this.preferences.put(user.userId, dto);
  }

  @Get('suggestions')
  @Authenticated()
  @ApiOperation({ summary: 'Providers ranked by compatibility with you (staff: with `client_id`), with the reasons.' })
  @ApiEnvelope(SuggestionDto, { list: true, maxItems: SUGGESTIONS_MAX })
  @ApiError('COMMON.FORBIDDEN')
  suggest(@CurrentUser() user: Principal, @Query() query: SuggestionsQueryDto): Promise<SuggestionDto[]> {
    return this.suggestions.suggest(user, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One match (its client, its provider, or staff).' })
  @ApiEnvelope(MatchDto)
  @ApiError('MATCHING.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<MatchDto> {
    return this.matches.get(user, id);
  }

  @Delete(':id')
  @Authenticated(Permission.MatchesManage)
  @ApiOperation({ summary: 'Remove a match (managers and admins).' })
  @ApiEnvelope('null')
  @ApiError('MATCHING.NOT_FOUND')
  async remove(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<null> {
    await this.matches.remove(user, id);
    return null;
  }

  @Post(':id/accept')
  @Authenticated()
  @ApiOperation({ summary: 'Accept a pending match (its client only).' })
  @ApiEnvelope(MatchDto)
  @ApiError('MATCHING.NOT_FOUND', 'MATCHING.CLIENT_ONLY', 'MATCHING.NOT_PENDING')
  accept(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<MatchDto> {
    return this.matches.accept(user, id);
  }

  @Post(':id/decline')
  @Authenticated()
  @ApiOperation({ summary: 'Decline a pending match (its client only).' })
  @ApiEnvelope(MatchDto)
  @ApiError('MATCHING.NOT_FOUND', 'MATCHING.CLIENT_ONLY', 'MATCHING.NOT_PENDING')
  decline(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<MatchDto> {
    return this.matches.decline(user, id);
  }
}
