import type { ApiClient } from '@hts/api-client';
import type { Me } from '@hts/contracts';
import type { Lang } from '$lib/i18n/index.ts';
import type { SessionData } from '$lib/server/session.ts';

declare global {
  namespace App {
    interface Locals {
      lang: Lang;
      /** The API, called as the browser: its address and user agent are passed on. */
      api: ApiClient;
      session: SessionData | null;
      user: Me | null;
    }
    interface Error {
      message: string;
    }
    interface PageData {
      lang: Lang;
      user: Me | null;
    }
  }
}
