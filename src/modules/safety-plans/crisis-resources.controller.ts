import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { CrisisResourcesQueryDto, CrisisResourcesDto } from 'src/modules/safety/safety.dto';
import { CrisisResourcesService } from 'src/modules/safety/crisis-resources.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';

/**
 * Crisis helplines for the caller's country. Served from this module because it needs the
 * caller's profile (the users module), which the safety module does not import.
 */
@ApiTags('safety')
@Controller('safety')
export class CrisisResourcesController {
  constructor(
    private readonly resources: CrisisResourcesService,
    private readonly directory: UserDirectoryService,
  ) {}

  @Get('resources')
  @Authenticated()
  @ApiOperation({
    summary: 'Crisis helplines and the emergency number for a country: `country`, else the country on your profile, else the international list.',
  })
  @ApiEnvelope(CrisisResourcesDto)
  async get(@CurrentUser() user: Principal, @Query() query: CrisisResourcesQueryDto): Promise<CrisisResourcesDto> {
    return this.resources.forCountry(query.country ?? (await this.directory.locale(user.userId)).country);
  }
}
