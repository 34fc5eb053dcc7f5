import type { AckOutcome } from './alarm-deliveries.service';

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));

const page = (title: string, body: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
  `<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>\n`;

/**
 * The acknowledgement page an alarm email links to: no sign-in, and nothing private
 * beyond the first name of who raised the alarm. The link opens a confirmation form;
 * only submitting it acknowledges (mail scanners that follow links change nothing).
 */
export function ackPage(outcome: AckOutcome, action: string): { status: number; html: string } {
  switch (outcome.kind) {
    case 'pending':
      return {
        status: 200,
        html: page(
          `${outcome.firstName} raised an alarm`,
          `<p>${escapeHtml(outcome.firstName)} pressed their alarm and may need you now. Please call or message them.</p>` +
            `<p>Let ${escapeHtml(outcome.firstName)} know you have seen it:</p>` +
            `<form method="post" action="${escapeHtml(action)}"><button type="submit">I have seen this</button></form>`,
        ),
      };
    case 'acknowledged':
      return {
        status: 200,
        html: page('Thank you', `<p>${escapeHtml(outcome.firstName)} can now see that you have seen their alert. Please reach out to them.</p>`),
      };
    case 'already_used':
      return { status: 410, html: page('This link was already used', `<p>This alert was already confirmed. If you have not reached ${escapeHtml(outcome.firstName)} yet, please call them.</p>`) };
    case 'expired':
      return { status: 410, html: page('This link has expired', '<p>This alert link is no longer valid. If you are worried about someone, call them directly.</p>') };
    case 'invalid':
      return { status: 404, html: page('Link not recognised', '<p>This link is not valid. Please copy the whole link from the email.</p>') };
  }
}
