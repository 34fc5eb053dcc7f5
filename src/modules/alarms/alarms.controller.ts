import { Body, Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { AdminAlarmListQueryDto, AlarmDeliveryDto, AlarmDto, AlarmListQueryDto, AlarmTriggerResultDto, ResolveAlarmDto, TriggerAlarmDto } from './alarms.dto';
import { ALARMS_ORDERING, AlarmsService } from './alarms.service';

/** The PTSD app's alarm: raise it, follow its deliveries, resolve it. */
@ApiTags('alarms')
@Controller()
export class AlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Post('alarms')
  @Authenticated()
  @ApiOperation({
    summary: 'Raise an alarm: answers at once with what will happen; contacts and therapist are alerted in the background.',
    description: 'A repeated `client_request_id`, or a press while your alarm is still open within the repeat window, returns that alarm (200, `duplicate: true`) and alerts nobody again.',
  })
  @ApiEnvelope(AlarmTriggerResultDto, { status: HttpStatus.CREATED })
  @ApiResponse({ status: 200, description: 'A repeated press: the open alarm, `duplicate: true`.' })
  async trigger(
    @CurrentUser() user: Principal,
    @Body() dto: TriggerAlarmDto,
    @ReqContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AlarmTriggerResultDto> {
    const result = await this.alarms.trigger(user, dto, context);
    if (result.duplicate) void reply.status(HttpStatus.OK);
    return result;
  }

  @Get('alarms')
  @Authenticated()
  @ApiOperation({ summary: 'Your alarms, newest first, with their deliveries and results.' })
  @ApiOrdering(ALARMS_ORDERING)
  @ApiEnvelope(AlarmDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: AlarmListQueryDto): Promise<Paginated<AlarmDto>> {
    return this.alarms.listOwn(user, query);
  }

  @Get('alarms/:id')
  @Authenticated()
  @ApiOperation({ summary: 'One alarm with its deliveries (yours; a client’s who shares alarms with you; any, for staff).' })
  @ApiEnvelope(AlarmDto)
  @ApiError('ALARMS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string, @ReqContext() context: RequestContext): Promise<AlarmDto> {
    return this.alarms.get(user, id, context);
  }

  @Post('alarms/:id/resolve')
  @Authenticated()
  @ApiOperation({ summary: '"I’m safe now": resolve the alarm; optionally email the all-clear to the contacts who were alerted.' })
  @ApiEnvelope(AlarmDto)
  @ApiError('ALARMS.NOT_FOUND', 'ALARMS.ALREADY_RESOLVED')
  resolve(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: ResolveAlarmDto, @ReqContext() context: RequestContext): Promise<AlarmDto> {
    return this.alarms.resolve(user, id, dto, context);
  }

  @Post('alarms/:id/deliveries/:deliveryId/retry')
  @Authenticated()
  @ApiOperation({ summary: 'Send a delivery that failed for good once more (yours, or any for staff).' })
  @ApiEnvelope(AlarmDeliveryDto)
  @ApiError('ALARMS.NOT_FOUND', 'ALARMS.DELIVERY_NOT_FOUND', 'ALARMS.DELIVERY_NOT_FAILED')
  retry(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @UuidParam('deliveryId') deliveryId: string,
    @ReqContext() context: RequestContext,
  ): Promise<AlarmDeliveryDto> {
    return this.alarms.retryDelivery(user, id, deliveryId, context);
  }

  @Get('clients/:clientId/alarms')
  @Authenticated()
  @ApiOperation({ summary: 'A client’s alarms, for a therapist they share alarms with (each read is audited).' })
  @ApiOrdering(ALARMS_ORDERING)
  @ApiEnvelope(AlarmDto, { paginated: true })
  @ApiError('ALARMS.NOT_FOUND')
  listForClient(
    @CurrentUser() user: Principal,
    @UuidParam('clientId') clientId: string,
    @Query() query: AlarmListQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<Paginated<AlarmDto>> {
    return this.alarms.listForCareTeam(user, clientId, query, context);
  }

  @Get('admin/alarms')
  @Authenticated(Permission.SafetyMonitor)
  @ApiOperation({ summary: 'Every alarm (staff): filter by user, status, or failed deliveries.' })
  @ApiOrdering(ALARMS_ORDERING)
  @ApiEnvelope(AlarmDto, { paginated: true })
  listAll(@Query() query: AdminAlarmListQueryDto): Promise<Paginated<AlarmDto>> {
    return this.alarms.listAll(query);
  }
}
