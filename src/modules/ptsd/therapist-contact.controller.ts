import { WithMessage } from 'src/common/http/envelope';
import { Body, Controller, Delete, Get, HttpStatus, Patch, Put, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { PutTherapistContactDto, TherapistContactDto, UpdateTherapistContactDto } from './ptsd.dto';
import { TherapistContactService } from './therapist-contact.service';

/** Your therapist for alarms: someone outside Haven (name, phone, email) or a verified Haven therapist. */
@ApiTags('ptsd')
@Controller('therapist-contact')
export class TherapistContactController {
  constructor(private readonly contacts: TherapistContactService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your therapist contact.' })
  @ApiEnvelope(TherapistContactDto)
  @ApiError('PTSD.THERAPIST_CONTACT_NOT_FOUND')
  get(@CurrentUser() user: Principal): Promise<TherapistContactDto> {
    return this.contacts.get(user.userId);
  }

  @Put()
  @Authenticated()
  @ApiOperation({ summary: 'Set your therapist contact: 201 when created, 200 when it replaced the previous one.' })
  @ApiEnvelope(TherapistContactDto, { description: 'Replaced.' })
  @ApiResponse({ status: HttpStatus.CREATED, description: 'Created (same body as 200).' })
  async put(
    @CurrentUser() user: Principal,
    @Body() dto: PutTherapistContactDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TherapistContactDto> {
    const { created, contact } = await this.contacts.put(user.userId, dto);
    if (created) void reply.status(HttpStatus.CREATED);
    return contact;
  }

  @Patch()
  @Authenticated()
  @ApiOperation({ summary: 'Change fields of your therapist contact.' })
  @ApiEnvelope(TherapistContactDto)
  @ApiError('PTSD.THERAPIST_CONTACT_NOT_FOUND')
  update(@CurrentUser() user: Principal, @Body() dto: UpdateTherapistContactDto): Promise<TherapistContactDto> {
    return this.contacts.update(user.userId, dto);
  }

  @Delete()
  @Authenticated()
  @ApiOperation({ summary: 'Remove your therapist contact.' })
  @ApiEnvelope('null')
  @ApiError('PTSD.THERAPIST_CONTACT_NOT_FOUND')
  async remove(@CurrentUser() user: Principal): Promise<WithMessage<null>> {
    await this.contacts.remove(user.userId);
    return new WithMessage(null, 'Removed.');
  }
}
