import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { GoalStatsDto } from './goals.dto';
import { GoalsService } from './goals.service';

/**
 * The profile counts of SafeTalk's `/profile/`. Beside users' routes: `/users/me/stats` has
 * two segments after `users`, so `GET /users/:id` never matches it.
 */
@ApiTags('users')
@Controller('users')
export class GoalStatsController {
  constructor(private readonly goals: GoalsService) {}

  @Get('me/stats')
  @Authenticated()
  @ApiOperation({ summary: 'Your goal counts: goals set and goals completed.' })
  @ApiEnvelope(GoalStatsDto)
  stats(@CurrentUser() user: Principal): Promise<GoalStatsDto> {
    return this.goals.stats(user.userId);
  }
}
