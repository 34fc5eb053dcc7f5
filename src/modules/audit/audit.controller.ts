import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { ApiEnvelope } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { AuditEntryDto, AuditQueryDto, toAuditEntryDto } from './audit.dto';
import { AUDIT_ORDERING, AuditService } from './audit.service';

@ApiTags('admin')
@Controller('admin/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authenticated(Permission.AuditRead)
  @ApiOperation({
    summary: 'Security audit log (admins).',
    description: 'Newest first by default. Filter by `action`, `actor_id`, `target_id`, `target_type`, `ip` and `date_after`/`date_before`.',
  })
  @ApiOrdering(AUDIT_ORDERING)
  @ApiEnvelope(AuditEntryDto, { paginated: true })
  async list(@Query() query: AuditQueryDto): Promise<Paginated<AuditEntryDto>> {
    return (await this.audit.list(query)).map(toAuditEntryDto);
  }
}
