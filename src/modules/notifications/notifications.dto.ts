import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsUUID } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { NotificationType } from './notification.entity';
import { Optional } from 'src/common/validation/presence';

export class NotificationQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Only unread (true) or only read (false).' })
  @Optional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Polling: only notifications newer than this one.' })
  @Optional()
  @IsUUID()
  last_id?: string;

  @ApiPropertyOptional({ enum: NotificationType })
  @Optional()
  @IsEnum(NotificationType)
  notification_type?: NotificationType;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'New message' })
  title!: string;

  @ApiProperty({ example: 'You have a new message from Ada' })
  message!: string;

  @ApiProperty({ enum: NotificationType })
  notification_type!: NotificationType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  related_id!: string | null;

  @ApiProperty({ description: 'How many events this notification stands for (collapsed new messages).' })
  count!: number;

  @ApiProperty()
  read!: boolean;

  @ApiProperty({ format: 'date-time' })
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
