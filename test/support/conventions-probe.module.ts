import { Body, Controller, Get, Logger, Module, Post, Query } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { Authenticated, Public } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import { paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { MailMessage } from 'src/infrastructure/mail/mail-message.entity';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { Repository } from 'typeorm';

/** The recipient of the rows the pagination tests own. */
export const PAGINATION_PROBE_ADDRESS = 'pagination@probe.test';

class AddressDto {
  @IsString()
  @MaxLength(20)
  city!: string;
}

class EchoDto {
  @IsString()
  @MaxLength(50)
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  age?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

/** Routes that exist only in tests, to exercise the shared HTTP conventions. */
@Controller('test-probe')
class ConventionsProbeController {
  constructor(@InjectRepository(MailMessage) private readonly mails: Repository<MailMessage>) {}

  @Post('echo')
  @Public()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  /** The mails sent to PAGINATION_PROBE_ADDRESS only: the rows the pagination tests insert, whatever else the table holds. */
  @Get('mails')
  @Public()
  async list(@Query() query: PaginationQueryDto): Promise<unknown> {
    const page = await paginate(this.mails.createQueryBuilder('m').where('m.toAddress = :to', { to: PAGINATION_PROBE_ADDRESS }), query, {
      orderable: { created_at: 'm.createdAt', subject: 'm.subject' },
      defaultOrdering: 'subject',
      searchable: ['m.subject'],
      dateColumn: 'm.createdAt',
      tieBreaker: 'm.id',
    });
    return page.map((m) => ({ subject: m.subject }));
  }

  @Get('boom')
  @Public()
  boom(): never {
    throw new Error('secret internal detail: SELECT * FROM users');
  }

  /** Logs through Nest's Logger after an await, as services do while serving a request. */
  @Post('log')
  @Public()
  async log(@Body() body: EchoDto): Promise<{ ok: true }> {
    await new Promise((resolve) => setImmediate(resolve));
    new Logger('Probe').log(`probe line for ${body.name}`);
    return { ok: true };
  }

  @Get('log')
  @Public()
  async logGet(): Promise<{ ok: true }> {
    await new Promise((resolve) => setImmediate(resolve));
    new Logger('Probe').log('probe line');
    return { ok: true };
  }

  @Post('login-like')
  @Public()
  @RateTier('auth')
  loginLike(): { ok: true } {
    return { ok: true };
  }

  @Get('staff-only')
  @Authenticated(Permission.MetricsRead)
  staffOnly(): { ok: true } {
    return { ok: true };
  }
}

@Module({ imports: [TypeOrmModule.forFeature([MailMessage])], controllers: [ConventionsProbeController] })
export class ConventionsProbeModule {}
