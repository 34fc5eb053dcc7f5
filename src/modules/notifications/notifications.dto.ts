import { QueryBoolean } from 'src/common/validation/query-boolean';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidField } from 'src/common/validation/uuid-param';
import { NotificationType } from './notification.entity';
import { Optional } from 'src/common/validation/presence';

export class NotificationQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Only unread (true) or only read (false).' })
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  unread?: boolean;

  @UuidField({ optional: true, description: 'Polling: only notifications newer than this one (404 when it is not yours).' })
  last_id?: string;

  @ApiPropertyOptional({ enum: NotificationType })
  @Optional()
  @IsEnum(NotificationType)
  notification_type?: NotificationType;
}

/** The notifications columns. */
const TITLE_MAX_LENGTH = 200;
const MESSAGE_MAX_LENGTH = 500;

export class NotificationDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ example: 'New message', maxLength: TITLE_MAX_LENGTH })
  title!: string;

  @ApiProperty({ example: 'You have a new message from Ada', maxLength: MESSAGE_MAX_LENGTH })
  message!: string;

  @ApiProperty({ enum: NotificationType })
  notification_type!: NotificationType;

  @ApiUuidProperty({ nullable: true })
  related_id!: string | null;

  @ApiProperty({ description: 'How many events this notification stands for (collapsed new messages).' })
  count!: number;

  @ApiProperty()
  read!: boolean;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class UnreadCountDto {
  @ApiProperty()
  count!: number;
}

export class MarkedReadDto {
  @ApiProperty({ description: 'How many notifications were marked read.' })
  updated!: number;
}
