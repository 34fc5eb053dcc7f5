import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { Optional } from 'src/common/validation/presence';

export class CreateGroupDto {
  @ApiProperty({ example: 'Anxiety Support', minLength: 3, maxLength: 120 })
  @IsString()
  @MinLength(3)
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({ example: 'A place to share what helps.', maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'support', maxLength: 60 })
  @Optional()
  @IsString()
  @Matches(/^[a-z0-9_-]{1,60}$/, { message: 'category must be 1-60 lowercase letters, digits, - or _' })
  category?: string;
}

export class GroupListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'support' })
  @Optional()
  @IsString()
  @MaxLength(60)
  category?: string;
}

export class GroupDto {
  @ApiProperty({ format: 'uuid', description: 'Also the chat id: messages are at /api/v1/chats/{id}/messages.' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true })
  category!: string | null;

  @ApiProperty()
  member_count!: number;

  @ApiProperty()
  is_member!: boolean;

  @ApiProperty()
  is_moderator!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class GroupMemberDto extends UserSummaryDto {
  @ApiProperty({ enum: ['member', 'moderator'] })
  group_role!: string;

  @ApiProperty({ format: 'date-time' })
  joined_at!: string;
}
