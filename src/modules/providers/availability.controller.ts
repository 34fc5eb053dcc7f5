import { Body, Controller, Delete, Get, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { AvailabilityService, EXCEPTIONS_ORDERING } from './availability.service';
import { AvailabilityDto, AvailabilityExceptionDto, CreateAvailabilityExceptionDto, ReplaceWeeklyRulesDto } from './providers.dto';

/** A provider's own availability: weekly rules in their zone and dated exceptions. */
@ApiTags('providers')
@Controller('providers/me/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your weekly rules, zone and buffer.' })
  @ApiEnvelope(AvailabilityDto)
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.PROFILE_REQUIRED')
  get(@CurrentUser() user: Principal): Promise<AvailabilityDto> {
    return this.availability.weekly(user);
  }

  @Put()
  @Authenticated()
  @ApiOperation({ summary: 'Replace your weekly rules (local times in your profile’s zone; no overlaps within a weekday).' })
  @ApiEnvelope(AvailabilityDto)
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.PROFILE_REQUIRED')
  replace(@CurrentUser() user: Principal, @Body() dto: ReplaceWeeklyRulesDto): Promise<AvailabilityDto> {
    return this.availability.replaceWeekly(user, dto);
  }

  @Post('exceptions')
  @Authenticated()
  @ApiOperation({ summary: 'Add time off or extra hours between two instants.' })
  @ApiEnvelope(AvailabilityExceptionDto, { status: HttpStatus.CREATED })
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.PROFILE_REQUIRED')
  addException(@CurrentUser() user: Principal, @Body() dto: CreateAvailabilityExceptionDto): Promise<AvailabilityExceptionDto> {
    return this.availability.addException(user, dto);
  }

  @Get('exceptions')
  @Authenticated()
  @ApiOperation({ summary: 'Your exceptions (date_after/date_before apply to their start).' })
  @ApiOrdering(EXCEPTIONS_ORDERING)
  @ApiEnvelope(AvailabilityExceptionDto, { paginated: true })
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.PROFILE_REQUIRED')
  listExceptions(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<AvailabilityExceptionDto>> {
    return this.availability.listExceptions(user, query);
  }

  @Delete('exceptions/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Remove one of your exceptions.' })
  @ApiEnvelope('null')
  @ApiError('COMMON.FORBIDDEN', 'AUTH.PROVIDER_NOT_VERIFIED', 'PROVIDERS.EXCEPTION_NOT_FOUND')
  async deleteException(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<null> {
    await this.availability.deleteException(user, id);
    return null;
  }
}
