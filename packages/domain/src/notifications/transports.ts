import { createTransport } from 'nodemailer';
import { PermanentJobError } from '../jobs/job-queue.ts';
import type { EmailSettings, SmsSettings } from './notification-settings.ts';
import { type RenderedMessage, unaccent } from './templates.ts';

/** A refusal that trying again cannot fix (a bad number, a bad token): the delivery is given up at once. */
export class PermanentDeliveryError extends PermanentJobError {}

/** Sends one e-mail through the configured SMTP server; answers the server's message id. */
export async function sendEmail(settings: EmailSettings, to: string, message: RenderedMessage, timeoutMs: number): Promise<string | null> {
  const transport = createTransport({
    url: settings.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({ from: settings.from, to, subject: message.subject, text: message.text });
    return typeof info.messageId === 'string' ? info.messageId : null;
  } catch (error) {
    // 5xx replies to the recipient (no such mailbox, rejected) will not change on a retry; 4xx and network errors may
    const code = (error as { responseCode?: number }).responseCode;
    if (code !== undefined && code >= 500 && (error as { command?: string }).command === 'RCPT TO')
      throw new PermanentDeliveryError(`the mail server refused the address: ${(error as Error).message}`);
    throw error;
  } finally {
    transport.close();
  }
}

/**
 * Sends one SMS through the HTTP gateway: `POST url` with `Authorization: Bearer <token>` and the JSON body
 * `{ to, content, brandname, requestId }` (`to` as 84xxxxxxxxx, `requestId` the same on every retry so the
 * gateway can drop a duplicate). 2xx is sent (the answer's `id` or `messageId` is kept); 408, 429 and 5xx are
 * retried; any other status is a refusal that is not.
 */
export async function sendSms(
  settings: SmsSettings,
  to: string,
  message: RenderedMessage,
  options: { timeoutMs: number; requestId: string },
): Promise<string | null> {
  const content = settings.unaccented ? unaccent(message.sms) : message.sms;
  let response: Response;
  try {
    response = await fetch(settings.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ to: to.replace(/^\+/, ''), content, brandname: settings.brandname, requestId: options.requestId }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
    throw new Error(`the SMS gateway could not be reached: ${reason}`);
  }
  const body = (await response.text()).slice(0, 500);
  if (!response.ok) {
    const reason = `the SMS gateway answered ${response.status}${body ? `: ${body}` : ''}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500) throw new Error(reason);
    throw new PermanentDeliveryError(reason);
  }
  try {
    const json = JSON.parse(body) as { id?: unknown; messageId?: unknown };
    const ref = json.id ?? json.messageId;
    return ref === undefined || ref === null ? null : String(ref);
  } catch {
    return null;
  }
}
