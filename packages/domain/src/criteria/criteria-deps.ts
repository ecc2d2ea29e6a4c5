import type { Db } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import type { IdNumberCodec } from '../registry/id-numbers.ts';
import type { Clock, RequestContext } from '../shared/deps.ts';
import type { Notifier } from './notifier.ts';

export interface CriteriaDeps {
  db: Db;
  clock: Clock;
  /** Where attachments go; only the attachment use cases need it. */
  store?: ObjectStore;
  /** Defaults to the in-app notifier. */
  notifier?: Notifier;
  /** Hashes CCCD numbers to match them against the registry; only the digital-skill import needs it. */
  idNumbers?: IdNumberCodec;
  ctx?: RequestContext;
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
