import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { GoalDto, GoalListQueryDto, GoalProgressDto } from './goals.dto';
import { GOALS_ORDERING, GoalsService, PROGRESS_ORDERING } from './goals.service';

/** A client's goals, read-only, for a care-team therapist the client granted the goals scope. */
@ApiTags('care-team')
@Controller('clients/:client_id/goals')
export class SharedGoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "A client's goals (needs their grant with the goals scope; each read is audited)." })
  @ApiOrdering(GOALS_ORDERING)
  @ApiEnvelope(GoalDto, { paginated: true })
  @ApiError('GOALS.NOT_FOUND')
  list(
    @CurrentUser() user: Principal,
    @UuidParam('client_id') clientId: string,
    @Query() query: GoalListQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<Paginated<GoalDto>> {
    return this.goals.sharedList(user, clientId, query, context);
  }

  @Get(':goal_id/progress')
  @Authenticated()
  @ApiOperation({ summary: "A client's goal's progress entries, newest first (needs their grant with the goals scope)." })
  @ApiOrdering(PROGRESS_ORDERING)
  @ApiEnvelope(GoalProgressDto, { paginated: true })
  @ApiError('GOALS.NOT_FOUND')
  progress(
    @CurrentUser() user: Principal,
    @UuidParam('client_id') clientId: string,
    @UuidParam('goal_id') goalId: string,
    @Query() query: PaginationQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<Paginated<GoalProgressDto>> {
    return this.goals.sharedProgress(user, clientId, goalId, query, context);
  }
}
