import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { AvailabilityService } from './availability.service';
import { PROVIDERS_ORDERING, ProviderProfilesService } from './provider-profiles.service';
import { FreeSlotsDto, FreeSlotsQueryDto, ProviderDto, ProviderListQueryDto, UpsertProviderProfileDto } from './providers.dto';

/** Provider profiles (verified therapists and friends) and the directory clients book from. */
@ApiTags('providers')
@Controller('providers')
export class ProvidersController {
  constructor(
    private readonly profiles: ProviderProfilesService,
    private readonly availability: AvailabilityService,
  ) {}

  @Get('me/profile')
  @Authenticated()
  @ApiOperation({ summary: 'Your provider profile (verified therapists and friends).' })
  @ApiEnvelope(ProviderDto)
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.NOT_FOUND')
  mine(@CurrentUser() user: Principal): Promise<ProviderDto> {
    return this.profiles.mine(user);
  }

  @Put('me/profile')
  @Authenticated()
  @ApiOperation({ summary: 'Create or replace your provider profile (verified therapists and friends). The rating is the server’s.' })
  @ApiEnvelope(ProviderDto)
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED')
  upsert(@CurrentUser() user: Principal, @Body() dto: UpsertProviderProfileDto): Promise<ProviderDto> {
    return this.profiles.upsertMine(user, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'The directory: verified, active providers with a profile. Filters: specialty, language, type, price range (of `type` when given, else of any offered type; two-decimal amounts), a free slot between available_from and available_to.',
  })
  @ApiOrdering(PROVIDERS_ORDERING)
  @ApiEnvelope(ProviderDto, { paginated: true })
  list(@Query() query: ProviderListQueryDto): Promise<Paginated<ProviderDto>> {
    return this.profiles.list(query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One listed provider.' })
  @ApiEnvelope(ProviderDto)
  @ApiError('PROVIDERS.NOT_FOUND')
  get(@UuidParam('id') id: string): Promise<ProviderDto> {
    return this.profiles.get(id);
  }

  @Get(':id/free-slots')
  @Authenticated()
  @ApiOperation({
    summary: 'Free slots of a listed provider between from and to (at most 31 days): weekly rules in their zone plus extra hours, minus time off, booked sessions and the buffer; quarter-hour starts, never in the past.',
  })
  @ApiEnvelope(FreeSlotsDto)
  @ApiError('PROVIDERS.NOT_FOUND', 'PROVIDERS.TYPE_NOT_OFFERED')
  freeSlots(@UuidParam('id') id: string, @Query() query: FreeSlotsQueryDto): Promise<FreeSlotsDto> {
    return this.availability.freeSlots(id, query);
  }
}
