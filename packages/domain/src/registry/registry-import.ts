import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ChangeCounts, RegistryImportKind, RegistryImportReport } from '@hts/contracts';
import { registryImports } from '@hts/db';
import { and, eq } from 'drizzle-orm';
import { type Actor, requireRole } from '../access/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { markIndicatorsDirty } from '../indicators/rollups.ts';
import type { RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { applyPlan } from './apply-plan.ts';
import { linkRegistryPeople } from './link-users.ts';
import { type ImportPlan, planImport } from './plan-import.ts';
import { readLimited } from './read-limited.ts';
import { readTable } from './read-table.ts';
import type { RegistryDeps } from './registry-deps.ts';

export interface ImportUpload {
  kind: RegistryImportKind;
  fileName: string;
  body: Readable;
  contentLength?: number;
}

type Changes = RegistryImportReport['changes'];

const objectKey = (id: string) => `registry-imports/${id}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function toReport(id: string, kind: RegistryImportKind, fileName: string, status: 'checked' | 'applied', plan: ImportPlan): RegistryImportReport {
  return { id, kind, fileName, status, rows: plan.rows, errors: plan.errors, changes: plan.changes, newVillages: plan.newVillages };
}

/**
 * The dry run: reads the uploaded file (size-limited), checks every row against the registry and keeps
 * the file so that applying it later writes exactly the bytes that were checked. Nothing enters the registry.
 */
export async function checkRegistryImport(deps: RegistryDeps, actor: Actor, upload: ImportUpload, ctx: RequestContext = {}): Promise<RegistryImportReport> {
  requireRole(actor, ['officer', 'admin']);
  const bytes = await readLimited(upload.body, deps.registry.maxImportBytes, upload.contentLength);
  const table = await readTable(bytes);
  const now = deps.clock.now();
  const plan = await planImport({ db: deps.db, codec: deps.registry.codec, actor, today: day(now), currentYear: now.getUTCFullYear() }, upload.kind, table);
  const id = randomUUID();
  const fileName = upload.fileName.normalize('NFC').slice(0, 200);
  await deps.store.put(objectKey(id), bytes, { contentType: 'application/octet-stream' });
  await deps.db.insert(registryImports).values({
    id,
    kind: upload.kind,
    officerId: actor.userId,
    fileName,
    fileSha256: createHash('sha256').update(bytes).digest('hex'),
    fileKey: objectKey(id),
    rows: plan.rows,
    errorCount: plan.errors.length,
  });
  await recordAudit(
    deps.db,
    {
      action: 'registry.import',
      outcome: 'success',
      actorUserId: actor.userId,
      subjectType: 'registry_import',
      subjectId: id,
      details: { step: 'check', kind: upload.kind, rows: plan.rows, errors: plan.errors.length },
    },
    ctx,
  );
  return toReport(id, upload.kind, fileName, 'checked', plan);
}

/**
 * Applies a checked file: checked again inside one transaction against the registry as it is now, then
 * written all or nothing. 409 while any row is bad. Applying an import a second time returns what the
 * first did and writes nothing; importing the same file again as a new upload finds nothing to change.
 */
export async function applyRegistryImport(deps: RegistryDeps, actor: Actor, importId: string, ctx: RequestContext = {}): Promise<RegistryImportReport> {
  requireRole(actor, ['officer', 'admin']);
  const [row] = await deps.db.select().from(registryImports).where(eq(registryImports.id, importId));
  if (!row || (row.officerId !== actor.userId && !actor.roles.has('admin'))) throw new DomainError('not_found', 'no such import');
  const done = (changes: Changes) =>
    ({
      id: row.id,
      kind: row.kind,
      fileName: row.fileName,
      status: 'applied',
      rows: row.rows,
      errors: [],
      changes,
      newVillages: [],
    }) satisfies RegistryImportReport;
  if (row.status === 'applied') return done(row.result as Changes);
  if (!row.fileKey) throw new DomainError('not_found', 'the file of this import is gone; upload it again');
  const bytes = await deps.store.getBuffer(row.fileKey);
  const table = await readTable(bytes);
  const now = deps.clock.now();

  const outcome = await deps.db.transaction(async (tx) => {
    // Taking the row first serialises two confirms of the same import: the second finds it applied.
    const claimed = await tx
      .update(registryImports)
      .set({ status: 'applied', appliedAt: now })
      .where(and(eq(registryImports.id, row.id), eq(registryImports.status, 'checked')))
      .returning({ id: registryImports.id });
    if (claimed.length === 0) {
      const [again] = await tx.select({ result: registryImports.result }).from(registryImports).where(eq(registryImports.id, row.id));
      return { already: again?.result as Changes };
    }
    const plan = await planImport({ db: tx, codec: deps.registry.codec, actor, today: day(now), currentYear: now.getUTCFullYear() }, row.kind, table);
    if (plan.errors.length > 0) {
      throw new DomainError(
        'conflict',
        `the file has ${plan.errors.length} bad rows: check it again, fix them and upload it again`,
        plan.errors.slice(0, 20).map((e) => ({ field: `/file/line/${e.line}/${e.column}`, message: e.message })),
      );
    }
    await applyPlan(tx, plan, now, day(now));
    await linkRegistryPeople(tx, { now });
    // people, memberships and collectives feed the indicators of their communes
    await markIndicatorsDirty(tx, {
      registryPersonIds: [...plan.people.map((p) => p.id), ...plan.memberships.flatMap((m) => (m.action === 'create' ? [m.personId] : []))],
      communeIds: [
        ...plan.people.map((p) => p.values.communeId),
        ...plan.collectives.map((c) => c.values.communeId),
        ...plan.khMembers.map((k) => k.values.communeId),
      ],
    });
    await tx.update(registryImports).set({ result: plan.changes, fileKey: null }).where(eq(registryImports.id, row.id));
    await recordAudit(
      tx,
      {
        action: 'registry.import',
        outcome: 'success',
        actorUserId: actor.userId,
        subjectType: 'registry_import',
        subjectId: row.id,
        details: { step: 'apply', kind: row.kind, changes: plan.changes },
      },
      ctx,
    );
    return { plan };
  });
  if ('already' in outcome) return done(outcome.already as Changes);
  await deps.store.remove(row.fileKey);
  return toReport(row.id, row.kind, row.fileName, 'applied', outcome.plan);
}

export type { ChangeCounts };
