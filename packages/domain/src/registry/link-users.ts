import type { Db } from '@hts/db';
import { sql } from 'drizzle-orm';
import { markIndicatorsDirty } from '../indicators/rollups.ts';

/**
 * Links registry people to platform accounts, so that the titles and digital-skill confirmations of an
 * account count for the person the commune registered. The rule (documented in the README):
 *
 * - same mobile number (both stored as +84…), and
 * - the same birth year when both have one, and
 * - the number belongs to exactly one registry person (a phone shared by a family links nobody), and
 * - neither the person nor the account is linked yet.
 *
 * ID numbers are not asked at registration, so they cannot be matched yet; an officer can still link by hand.
 * Runs when a citizen registers or signs in (`userId`) and after a registry import (everyone). Returns how many
 * people were linked.
 */
export async function linkRegistryPeople(db: Db, options: { userId?: string; now: Date }): Promise<number> {
  const onlyUser = options.userId ? sql`and u.id = ${options.userId}` : sql``;
  const rows = await db.execute(sql`
    update registry_people p
       set user_id = u.id, user_link_rule = 'phone', user_linked_at = ${options.now.toISOString()}::timestamptz
      from users u
     where p.user_id is null
       and u.phone is not null
       and p.phone = u.phone
       and u.status = 'active'
       ${onlyUser}
       and (p.birth_year is null or u.birth_year is null or p.birth_year = u.birth_year)
       and (select count(*) from registry_people same where same.phone = p.phone) = 1
       and not exists (select 1 from registry_people linked where linked.user_id = u.id)
    returning p.id`);
  const list = (Array.isArray(rows) ? rows : ((rows as { rows?: unknown[] }).rows ?? [])) as Array<{ id: string }>;
  // a newly linked person brings the account's titles and confirmations into the registry's indicators
  if (list.length > 0) await markIndicatorsDirty(db, { registryPersonIds: list.map((r) => r.id) });
  return list.length;
}
