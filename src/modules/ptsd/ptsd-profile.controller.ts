import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { PtsdProfileDto, UpdatePtsdProfileDto } from './ptsd.dto';
import { PtsdProfileService } from './ptsd-profile.service';

/** The PTSD app's user info: age, location, military status, PTSD level, chosen music and scenario. */
@ApiTags('ptsd')
@Controller('ptsd/profile')
export class PtsdProfileController {
  constructor(private readonly profiles: PtsdProfileService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your PTSD profile (nulls until first written), with your therapist contact.' })
  @ApiEnvelope(PtsdProfileDto)
  get(@CurrentUser() user: Principal): Promise<PtsdProfileDto> {
    return this.profiles.get(user.userId);
  }

  @Patch()
  @Authenticated()
  @ApiOperation({ summary: 'Change fields of your PTSD profile (created on first write); null clears a field.' })
  @ApiEnvelope(PtsdProfileDto)
  update(@CurrentUser() user: Principal, @Body() dto: UpdatePtsdProfileDto): Promise<PtsdProfileDto> {
    return this.profiles.update(user.userId, dto);
  }
}
