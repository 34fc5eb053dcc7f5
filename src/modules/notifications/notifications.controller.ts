import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { MarkedReadDto, NotificationDto, NotificationQueryDto, UnreadCountDto } from './notifications.dto';
import { NOTIFICATIONS_ORDERING, NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
@Authenticated()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Your notifications, newest first; `unread` and `last_id` for polling.' })
  @ApiOrdering(NOTIFICATIONS_ORDERING)
  @ApiEnvelope(NotificationDto, { paginated: true })
  @ApiError('NOTIFICATIONS.NOT_FOUND')
  list(@CurrentUser() user: Principal, @Query() query: NotificationQueryDto): Promise<Paginated<NotificationDto>> {
    return this.notifications.list(user, query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many unread notifications you have.' })
  @ApiEnvelope(UnreadCountDto)
  async unreadCount(@CurrentUser() user: Principal): Promise<UnreadCountDto> {
    return { count: await this.notifications.unreadCount(user) };
  }

  @Post('read-all')
  @ApiOperation({ summary: 'Mark all your notifications read.' })
  @ApiEnvelope(MarkedReadDto)
  async markAllRead(@CurrentUser() user: Principal): Promise<MarkedReadDto> {
    return { updated: await this.notifications.markAllRead(user) };
  }

  @Post(':id/read')
  @ApiOperation({ summary: 'Mark one notification read.' })
  @ApiEnvelope(NotificationDto)
  @ApiError('NOTIFICATIONS.NOT_FOUND')
  markRead(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<NotificationDto> {
    return this.notifications.markRead(user, id);
  }
}
