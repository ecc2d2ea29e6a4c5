import type { NotificationChannel } from '@hts/db';

/** An SMTP server that relays the platform's e-mail. */
export interface EmailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`. */
  url: string;
  /** The From header, e.g. `Học tập số <no-reply@hoctapso.bacninh.gov.vn>`. */
  from: string;
}

/**
 * An SMS brandname gateway reached over HTTP: the platform POSTs one JSON message per SMS to `url` with
 * `Authorization: Bearer <token>` (see the README for the body). Vietnamese gateways (and the carriers'
 * brandname services) differ in field names, so a deployment points this at its gateway or a small relay.
 */
export interface SmsSettings {
  url: string;
  token: string;
  /** The registered brandname the SMS is sent under, when the gateway needs one. */
  brandname: string | null;
  /** Send without diacritics: many brandname contracts bill Unicode SMS at 70 characters a part, or refuse them. */
  unaccented: boolean;
}

export interface NotificationSettings {
  /** The address people open; links in messages point there. */
  publicUrl: string;
  email: EmailSettings | null;
  sms: SmsSettings | null;
  /** Tries per message and channel before it is given up (retried with the job queue's backoff). */
  maxAttempts: number;
  /** How long one try may wait on the SMTP server or the gateway. */
  timeoutMs: number;
}

export class NotificationConfigError extends Error {}

/** The channels besides in-app that are configured. */
export const configuredChannels = (s: NotificationSettings): NotificationChannel[] => [
  ...(s.email ? ['email' as const] : []),
  ...(s.sms ? ['sms' as const] : []),
];

/**
 * Reads the notification settings from an environment (the API and the worker both deliver, so both call
 * this from their config module). Nothing set: in-app notices only.
 */
export function notificationSettingsFromEnv(env: NodeJS.ProcessEnv, publicUrl: string): NotificationSettings {
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new NotificationConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  let email: EmailSettings | null = null;
  if (env.SMTP_URL) {
    let url: URL;
    try {
      url = new URL(env.SMTP_URL);
    } catch {
      throw new NotificationConfigError('SMTP_URL must be a URL like smtp://user:password@host:587');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      throw new NotificationConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}"`);
    if (!env.MAIL_FROM) throw new NotificationConfigError('MAIL_FROM is required with SMTP_URL (e.g. "Học tập số <no-reply@example.vn>")');
    email = { url: env.SMTP_URL, from: env.MAIL_FROM };
  }
  let sms: SmsSettings | null = null;
  if (env.SMS_GATEWAY_URL) {
    let url: URL;
    try {
      url = new URL(env.SMS_GATEWAY_URL);
    } catch {
      throw new NotificationConfigError('SMS_GATEWAY_URL must be an http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new NotificationConfigError('SMS_GATEWAY_URL must be an http(s) URL');
    if (!env.SMS_GATEWAY_TOKEN) throw new NotificationConfigError('SMS_GATEWAY_TOKEN is required with SMS_GATEWAY_URL');
    sms = { url: env.SMS_GATEWAY_URL, token: env.SMS_GATEWAY_TOKEN, brandname: env.SMS_BRANDNAME || null, unaccented: env.SMS_UNACCENTED === 'true' };
  }
  return {
    publicUrl: publicUrl.replace(/\/$/, ''),
    email,
    sms,
    maxAttempts: whole('NOTIFY_MAX_ATTEMPTS', 5, 1, 20),
    timeoutMs: whole('NOTIFY_TIMEOUT_MS', 10_000, 1000, 120_000),
  };
}
