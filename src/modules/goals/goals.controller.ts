import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated, WithMessage } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { CreateGoalDto, CreateProgressDto, GoalDto, GoalListQueryDto, GoalProgressDto, UpdateGoalDto } from './goals.dto';
import { GOALS_ORDERING, GoalsService, PROGRESS_ORDERING } from './goals.service';

/** Your goals and their progress entries (SafeTalk "Goals & Progress"). */
@ApiTags('goals')
@Controller('goals')
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Set a goal.' })
  @ApiEnvelope(GoalDto, { status: HttpStatus.CREATED })
  create(@CurrentUser() user: Principal, @Body() dto: CreateGoalDto): Promise<GoalDto> {
    return this.goals.create(user.userId, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your goals; `status` filters, `search` matches the title.' })
  @ApiOrdering(GOALS_ORDERING)
  @ApiEnvelope(GoalDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: GoalListQueryDto): Promise<Paginated<GoalDto>> {
    return this.goals.list(user.userId, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One of your goals.' })
  @ApiEnvelope(GoalDto)
  @ApiError('GOALS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GoalDto> {
    return this.goals.get(user.userId, id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Change the title, description or target date (null clears description and target date).' })
  @ApiEnvelope(GoalDto)
  @ApiError('GOALS.NOT_FOUND')
  update(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateGoalDto): Promise<GoalDto> {
    return this.goals.update(user.userId, id, dto);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Delete a goal and its progress entries.' })
  @ApiEnvelope('null')
  @ApiError('GOALS.NOT_FOUND')
  async remove(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.goals.remove(user.userId, id);
    return new WithMessage(null, 'Goal deleted.');
  }

  @Post(':id/complete')
  @Authenticated()
  @ApiOperation({ summary: 'Mark a goal completed (idempotent: a completed goal keeps its completed_at).' })
  @ApiEnvelope(GoalDto)
  @ApiError('GOALS.NOT_FOUND')
  complete(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GoalDto> {
    return this.goals.complete(user.userId, id);
  }

  @Post(':id/reopen')
  @Authenticated()
  @ApiOperation({ summary: 'Make a completed goal active again (idempotent).' })
  @ApiEnvelope(GoalDto)
  @ApiError('GOALS.NOT_FOUND')
  reopen(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GoalDto> {
    return this.goals.reopen(user.userId, id);
  }

  @Post(':id/progress')
  @Authenticated()
  @ApiOperation({ summary: 'Add a progress entry (its text is encrypted at rest).' })
  @ApiEnvelope(GoalProgressDto, { status: HttpStatus.CREATED })
  @ApiError('GOALS.NOT_FOUND')
  addProgress(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: CreateProgressDto): Promise<GoalProgressDto> {
    return this.goals.addProgress(user.userId, id, dto);
  }

  @Get(':id/progress')
  @Authenticated()
  @ApiOperation({ summary: "A goal's progress entries, newest first." })
  @ApiOrdering(PROGRESS_ORDERING)
  @ApiEnvelope(GoalProgressDto, { paginated: true })
  @ApiError('GOALS.NOT_FOUND')
  listProgress(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: PaginationQueryDto): Promise<Paginated<GoalProgressDto>> {
    return this.goals.listProgress(user.userId, id, query);
  }
}
