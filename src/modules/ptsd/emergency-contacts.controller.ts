import { WithMessage } from 'src/common/http/envelope';
import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { EMERGENCY_CONTACTS_ORDERING, EmergencyContactsService } from './emergency-contacts.service';
import { CreateEmergencyContactDto, EmergencyContactDto, UpdateEmergencyContactDto } from './ptsd.dto';

/** The people your alarm notifies (at most 10). */
@ApiTags('ptsd')
@Controller('emergency-contacts')
export class EmergencyContactsController {
  constructor(private readonly contacts: EmergencyContactsService) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Add an emergency contact (at most 10); the phone is stored in E.164.' })
  @ApiEnvelope(EmergencyContactDto, { status: HttpStatus.CREATED })
  @ApiError('PTSD.CONTACT_LIMIT')
  create(@CurrentUser() user: Principal, @Body() dto: CreateEmergencyContactDto): Promise<EmergencyContactDto> {
    return this.contacts.create(user.userId, dto);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your emergency contacts, oldest first by default.' })
  @ApiOrdering(EMERGENCY_CONTACTS_ORDERING)
  @ApiEnvelope(EmergencyContactDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: PaginationQueryDto): Promise<Paginated<EmergencyContactDto>> {
    return this.contacts.list(user.userId, query);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One of your emergency contacts.' })
  @ApiEnvelope(EmergencyContactDto)
  @ApiError('PTSD.CONTACT_NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<EmergencyContactDto> {
    return this.contacts.get(user.userId, id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Change fields of one of your emergency contacts; null removes the email.' })
  @ApiEnvelope(EmergencyContactDto)
  @ApiError('PTSD.CONTACT_NOT_FOUND')
  update(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateEmergencyContactDto): Promise<EmergencyContactDto> {
    return this.contacts.update(user.userId, id, dto);
  }

  @Delete(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Remove one of your emergency contacts.' })
  @ApiEnvelope('null')
  @ApiError('PTSD.CONTACT_NOT_FOUND')
  async remove(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<WithMessage<null>> {
    await this.contacts.remove(user.userId, id);
    return new WithMessage(null, 'Removed.');
  }
}
