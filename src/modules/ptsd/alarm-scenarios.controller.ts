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
import { ALARM_SCENARIOS_ORDERING, AlarmScenariosService } from './alarm-scenarios.service';
import { AlarmScenarioDto, AlarmScenarioListQueryDto, CreateAlarmScenarioDto, UpdateAlarmScenarioDto } from './ptsd.dto';

/** What an alarm does; users choose one (else the default applies). */
@ApiTags('ptsd')
@Controller('alarm-scenarios')
export class AlarmScenariosController {
  constructor(private readonly scenarios: AlarmScenariosService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The active alarm scenarios; `is_default` marks the one used when you chose none.' })
  @ApiOrdering(ALARM_SCENARIOS_ORDERING)
  @ApiEnvelope(AlarmScenarioDto, { paginated: true })
  list(@Query() query: PaginationQueryDto): Promise<Paginated<AlarmScenarioDto>> {
    return this.scenarios.listActive(query);
  }
}

/** Staff curate the alarm scenarios; exactly one is the default. */
@ApiTags('admin')
@Controller('admin/alarm-scenarios')
export class AdminAlarmScenariosController {
  constructor(private readonly scenarios: AlarmScenariosService) {}

  @Post()
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Add a scenario; `is_default: true` moves the default flag to it.' })
  @ApiEnvelope(AlarmScenarioDto, { status: HttpStatus.CREATED })
  create(@Body() dto: CreateAlarmScenarioDto): Promise<AlarmScenarioDto> {
    return this.scenarios.create(dto);
  }

  @Get()
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Every scenario, active or not.' })
  @ApiOrdering(ALARM_SCENARIOS_ORDERING)
  @ApiEnvelope(AlarmScenarioDto, { paginated: true })
  list(@Query() query: AlarmScenarioListQueryDto): Promise<Paginated<AlarmScenarioDto>> {
    return this.scenarios.list(query);
  }

  @Patch(':id')
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Change a scenario; `is_default: true` moves the default flag to it.' })
  @ApiEnvelope(AlarmScenarioDto)
  @ApiError('PTSD.SCENARIO_NOT_FOUND', 'PTSD.DEFAULT_SCENARIO_REQUIRED')
  update(@UuidParam('id') id: string, @Body() dto: UpdateAlarmScenarioDto): Promise<AlarmScenarioDto> {
    return this.scenarios.update(id, dto);
  }

  @Delete(':id')
  @Authenticated(Permission.CatalogManage)
  @ApiOperation({ summary: 'Delete a scenario nobody chose; a chosen one is deactivated instead. Not the default.' })
  @ApiEnvelope('null')
  @ApiError('PTSD.SCENARIO_NOT_FOUND', 'PTSD.DEFAULT_SCENARIO_REQUIRED')
  async remove(@UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.scenarios.remove(id);
    return new WithMessage(null, 'Deleted (or deactivated where users chose it).');
  }
}
