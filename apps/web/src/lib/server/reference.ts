import type { ApiClient } from '@hts/api-client';
import type { CommuneList, TargetGroupList } from '@hts/contracts';
import { sortCommunes } from '../geo.ts';

/** Reference lists change rarely: keep them ten minutes so a form on a weak link does not wait for them. */
const TTL_MS = 10 * 60_000;
let communes: { value: CommuneList; expires: number } | undefined;
let targetGroups: { value: TargetGroupList; expires: number } | undefined;

/** The communes of the province, in Vietnamese alphabetical order. */
export async function getCommunes(api: ApiClient, now: number = Date.now()): Promise<CommuneList> {
  if (communes && communes.expires > now) return communes.value;
  const list = await api.call('communes');
  const value = { ...list, items: sortCommunes(list.items) };
  communes = { value, expires: now + TTL_MS };
  return value;
}

export async function getTargetGroups(api: ApiClient, now: number = Date.now()): Promise<TargetGroupList> {
  if (targetGroups && targetGroups.expires > now) return targetGroups.value;
  const value = await api.call('targetGroups');
  targetGroups = { value, expires: now + TTL_MS };
  return value;
}
