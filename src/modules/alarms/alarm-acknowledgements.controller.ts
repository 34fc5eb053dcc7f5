import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from 'src/common/access/access.decorators';
import { RawResponse } from 'src/common/http/raw-response.decorator';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { AckOutcome, AlarmDeliveriesService } from './alarm-deliveries.service';
import { ackPage } from './ack-page';

// Named `link`, not `token`: it is a signed reference to one delivery, not a credential of an account.
const LINK_DOC = { name: 'link', description: 'The last part of the alarm email’s link.', schema: { type: 'string', maxLength: 100, pattern: '^[0-9a-f-]{36}\\.[0-9]{1,12}\\.[A-Za-z0-9_-]{43}$' } } as const;
const HTML = { description: 'An HTML page.', schema: { type: 'string', maxLength: 4000 } } as const;

/** The public page behind an alarm email's link: the recipient confirms they have seen the alert. */
@ApiTags('alarms')
@Controller('alarm-acknowledgements')
export class AlarmAcknowledgementsController {
  constructor(private readonly deliveries: AlarmDeliveriesService) {}

  @Get(':link')
  @Public()
  @RateTier('auth')
  @RawResponse()
  @ApiOperation({ summary: 'The page an alarm email links to: who raised it (first name only) and a button to confirm you have seen it. Changes nothing.' })
  @ApiParam(LINK_DOC)
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  @ApiResponse({ status: 404, ...HTML, description: 'A forged or mangled link.' })
  @ApiResponse({ status: 410, ...HTML, description: 'An expired link, or one already used.' })
  async show(@Param('link') link: string, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, await this.deliveries.inspect(link), link);
  }

  @Post(':link')
  @Public()
  @RateTier('auth')
  @RawResponse()
  @ApiOperation({ summary: 'Confirm you have seen the alarm: once per link; the person who raised it sees it at once.' })
  @ApiParam(LINK_DOC)
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  @ApiResponse({ status: 404, ...HTML, description: 'A forged or mangled link.' })
  @ApiResponse({ status: 410, ...HTML, description: 'An expired link, or one already used.' })
  async confirm(@Param('link') link: string, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, await this.deliveries.acknowledge(link), link);
  }

  private async render(reply: FastifyReply, outcome: AckOutcome, link: string): Promise<void> {
    const { status, html } = ackPage(outcome, encodeURIComponent(link));
    await reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(html);
  }
}
