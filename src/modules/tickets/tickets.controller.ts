import { Body, Controller, Get, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import {
  AssignSupportTicketDto,
  OpenSupportTicketDto,
  SupportTicketStaffDetailDto,
  SupportTicketStaffQueryDto,
  SupportTicketCountsDto,
  SupportTicketDetailDto,
  SupportTicketDto,
  SupportTicketListQueryDto,
  SupportTicketNoteBodyDto,
  SupportTicketReplyBodyDto,
  UpdateSupportTicketDto,
} from './tickets.dto';
import { STAFF_TICKETS_ORDERING, TICKETS_ORDERING, TicketsService } from './tickets.service';

/** Users: open support tickets and follow them. */
@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Open a support ticket (optionally from a message in your support chat). Staff are notified.' })
  @ApiEnvelope(SupportTicketDetailDto, { status: HttpStatus.CREATED })
  @ApiError('TICKETS.CHAT_MESSAGE_NOT_FOUND')
  open(@CurrentUser() user: Principal, @Body() dto: OpenSupportTicketDto): Promise<SupportTicketDetailDto> {
    return this.tickets.open(user, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your tickets, recently active first; filter by status; `search` matches the ticket number (`42` or `#42`) or its id.' })
  @ApiOrdering(TICKETS_ORDERING)
  @ApiEnvelope(SupportTicketDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: SupportTicketListQueryDto): Promise<Paginated<SupportTicketDto>> {
    return this.tickets.listOwn(user, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One of your tickets with its thread of replies.' })
  @ApiEnvelope(SupportTicketDetailDto)
  @ApiError('TICKETS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<SupportTicketDetailDto> {
    return this.tickets.getOwn(user, id);
  }

  @Post(':id/replies')
  @Authenticated()
  @ApiOperation({ summary: 'Reply on your ticket (a ticket waiting on you, or resolved, is open again). Attachments: upload to the ticket’s support chat first.' })
  @ApiEnvelope(SupportTicketDetailDto, { status: HttpStatus.CREATED })
  @ApiError('TICKETS.NOT_FOUND', 'TICKETS.CLOSED', 'TICKETS.ATTACHMENT_NOT_FOUND')
  reply(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: SupportTicketReplyBodyDto): Promise<SupportTicketDetailDto> {
    return this.tickets.replyOwn(user, id, dto);
  }

  @Post(':id/close')
  @Authenticated()
  @ApiOperation({ summary: 'Close your ticket (you no longer need help).' })
  @ApiEnvelope(SupportTicketDetailDto, { status: HttpStatus.OK })
  @ApiError('TICKETS.NOT_FOUND')
  close(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<SupportTicketDetailDto> {
    return this.tickets.closeOwn(user, id);
  }

  @Post(':id/reopen')
  @Authenticated()
  @ApiOperation({ summary: 'Reopen your resolved or closed ticket.' })
  @ApiEnvelope(SupportTicketDetailDto, { status: HttpStatus.OK })
  @ApiError('TICKETS.NOT_FOUND', 'TICKETS.NOT_REOPENABLE')
  reopen(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<SupportTicketDetailDto> {
    return this.tickets.reopenOwn(user, id);
  }
}

/** Staff: the support tickets dashboard (HumanLink's `/api/v1/admin/tickets/`). */
@ApiTags('tickets')
@Controller('admin/tickets')
export class AdminTicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({
    summary:
      'Every ticket; filter by status, priority, category, assignee (`assignee_id`, `unassigned`), creation date (`date_after`, `date_before`). ' +
      '`search` matches the ticket number (`42`, `#42`), its id, or the requester’s name or email (subjects and bodies are encrypted, so not their text).',
  })
  @ApiOrdering(STAFF_TICKETS_ORDERING)
  @ApiEnvelope(SupportTicketDto, { paginated: true })
  list(@Query() query: SupportTicketStaffQueryDto): Promise<Paginated<SupportTicketDto>> {
    return this.tickets.listForStaff(query);
  }

  @Get('counts')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'How many tickets are in each status.' })
  @ApiEnvelope(SupportTicketCountsDto)
  counts(): Promise<SupportTicketCountsDto> {
    return this.tickets.countsByStatus();
  }

  @Get(':id')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'One ticket with its thread and internal notes.' })
  @ApiEnvelope(SupportTicketStaffDetailDto)
  @ApiError('TICKETS.NOT_FOUND')
  get(@UuidParam('id') id: string): Promise<SupportTicketStaffDetailDto> {
    return this.tickets.getForStaff(id);
  }

  @Post(':id/replies')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'Reply to the requester (notified in the app, on their socket and by email). The first reply sets first_response_at; an open ticket then waits on the user.' })
  @ApiEnvelope(SupportTicketStaffDetailDto, { status: HttpStatus.CREATED })
  @ApiError('TICKETS.NOT_FOUND', 'TICKETS.CLOSED', 'TICKETS.ATTACHMENT_NOT_FOUND')
  reply(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: SupportTicketReplyBodyDto): Promise<SupportTicketStaffDetailDto> {
    return this.tickets.staffReply(staff, id, dto);
  }

  @Post(':id/notes')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'Add an internal note (staff only, never shown to the requester; encrypted). Audited.' })
  @ApiEnvelope(SupportTicketStaffDetailDto, { status: HttpStatus.CREATED })
  @ApiError('TICKETS.NOT_FOUND')
  addNote(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: SupportTicketNoteBodyDto, @ReqContext() context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    return this.tickets.addNote(staff, id, dto, context);
  }

  @Put(':id/assignee')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'Assign to an active manager or admin, or unassign (null). Audited; the assignee is notified.' })
  @ApiEnvelope(SupportTicketStaffDetailDto)
  @ApiError('TICKETS.NOT_FOUND')
  assign(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: AssignSupportTicketDto, @ReqContext() context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    return this.tickets.assign(staff, id, dto, context);
  }

  @Patch(':id')
  @Authenticated(Permission.TicketsManage)
  @ApiOperation({ summary: 'Change status, priority or category. Status timestamps follow; audited; the requester hears of resolve and close.' })
  @ApiEnvelope(SupportTicketStaffDetailDto)
  @ApiError('TICKETS.NOT_FOUND')
  update(@CurrentUser() staff: Principal, @UuidParam('id') id: string, @Body() dto: UpdateSupportTicketDto, @ReqContext() context: RequestContext): Promise<SupportTicketStaffDetailDto> {
    return this.tickets.update(staff, id, dto, context);
  }
}
