import type { TargetGroupList } from '@hts/contracts';
import { type Db, targetGroups } from '@hts/db';

export async function listTargetGroups(db: Db): Promise<TargetGroupList> {
  const rows = await db
    .select({ code: targetGroups.code, name: targetGroups.nameVi, nameEn: targetGroups.nameEn })
    .from(targetGroups)
    .orderBy(targetGroups.sortOrder);
  return { items: rows };
}
