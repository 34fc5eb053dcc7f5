import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { DESCRIPTION_MAX_LENGTH, GROUP_NAME_MAX_LENGTH, UserSummaryDto } from 'src/modules/chat/chat.dto';
import { Optional } from 'src/common/validation/presence';

const CATEGORY_PATTERN = /^[a-z0-9_-]{1,60}$/;
const CATEGORY_MAX_LENGTH = 60;

export class CreateGroupDto {
  @ApiProperty({ example: 'Anxiety Support', minLength: 3, maxLength: GROUP_NAME_MAX_LENGTH })
  @IsString()
  @MinLength(3)
  @MaxLength(GROUP_NAME_MAX_LENGTH)
  name!: string;

  @ApiPropertyOptional({ example: 'A place to share what helps.', maxLength: DESCRIPTION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ example: 'support', pattern: CATEGORY_PATTERN.source, maxLength: CATEGORY_MAX_LENGTH })
  @Optional()
  @IsString()
  @Matches(CATEGORY_PATTERN, { message: 'category must be 1-60 lowercase letters, digits, - or _' })
  category?: string;
}

export class GroupListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'support', maxLength: CATEGORY_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(CATEGORY_MAX_LENGTH)
  category?: string;
}

export class GroupDto {
  @ApiUuidProperty({ description: 'Also the chat id: messages are at /api/v1/chats/{id}/messages.' })
  id!: string;

  @ApiProperty({ maxLength: GROUP_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: DESCRIPTION_MAX_LENGTH })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: CATEGORY_MAX_LENGTH })
  category!: string | null;

  @ApiProperty()
  member_count!: number;

  @ApiProperty()
  is_member!: boolean;

  @ApiProperty()
  is_moderator!: boolean;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class GroupMemberDto extends UserSummaryDto {
  @ApiProperty({ enum: ['member', 'moderator'] })
  group_role!: string;

  @ApiDateTimeProperty()
  joined_at!: string;
}
