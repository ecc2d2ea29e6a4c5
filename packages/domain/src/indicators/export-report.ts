import { PassThrough } from 'node:stream';
import type { IndicatorReport } from '@hts/contracts';
import { type Db, jobs } from '@hts/db';
import type { ObjectStore } from '@hts/storage';
import { eq } from 'drizzle-orm';
import { type Actor, loadActor, requireRole } from '../access/actor.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { JobHandler } from '../jobs/worker-loop.ts';
import type { Clock, RequestContext } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { getIndicators } from './indicator-report.ts';
import { groupsOf, reportingUnit, writeReportForm } from './report-form.ts';

export const INDICATORS_EXPORT_JOB = 'indicators.export';
export type ExportFormat = 'xlsx' | 'csv';

const exportKey = (jobId: string, format: ExportFormat) => `exports/indicators/${jobId}.${format}`;

/**
 * Queues the yearly report for the officer's scope (or one commune). The scope and the year are checked now,
 * with the same use case the dashboard uses, so a refused request never becomes a job.
 */
export async function requestIndicatorExport(
  deps: { db: Db; clock: Clock },
  actor: Actor,
  input: { year: number; commune?: string; format: ExportFormat },
  ctx: RequestContext = {},
): Promise<{ id: string }> {
  requireRole(actor, ['officer', 'admin']);
  await getIndicators(deps, actor, { year: input.year, commune: input.commune }, ctx);
  const id = await enqueueJob(deps.db, INDICATORS_EXPORT_JOB, {
    actorId: actor.userId,
    year: input.year,
    commune: input.commune ?? null,
    format: input.format,
  });
  if (!id) throw new DomainError('internal', 'the export could not be queued');
  return { id };
}

/** The state of an export the caller asked for: progress while it runs, a signed download link when done. */
export async function getIndicatorExport(
  deps: { db: Db; store: ObjectStore },
  actor: Actor,
  id: string,
): Promise<{ id: string; status: 'queued' | 'running' | 'done' | 'failed'; progress: number; format: ExportFormat; url: string | null; error: string | null }> {
  const [job] = await deps.db.select().from(jobs).where(eq(jobs.id, id));
  // someone else's export is as good as missing: its existence is not the caller's business
  if (!job || job.kind !== INDICATORS_EXPORT_JOB || job.payload.actorId !== actor.userId) throw new DomainError('not_found', 'no such export');
  const format = job.payload.format === 'csv' ? 'csv' : 'xlsx';
  const url = job.status === 'done' ? await deps.store.signedGetUrl(exportKey(job.id, format), { expiresInSeconds: 900 }) : null;
  return { id: job.id, status: job.status, progress: job.progress, format, url, error: job.status === 'failed' ? 'the export failed; ask again' : null };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

interface ReportRow {
  indicator: string;
  name: string;
  version: string;
  commune: string;
  communeName: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  target: number | null;
}

function* rowsOf(report: IndicatorReport): Generator<ReportRow> {
  for (const ind of report.indicators) {
    for (const c of ind.byCommune) {
      yield {
        indicator: ind.id,
        name: ind.nameVi,
        version: ind.version,
        commune: c.code,
        communeName: c.name,
        numerator: c.numerator,
        denominator: c.denominator,
        rate: c.rate,
        target: ind.target?.value ?? null,
      };
    }
  }
}

/**
 * Writes the report into the object store as it is produced (XLSX through exceljs' streaming WorkbookWriter,
 * CSV line by line): no whole file in memory. The sheet carries the definition versions and the generation time.
 */
export async function runIndicatorExport(
  deps: { store: ObjectStore; clock: Clock },
  db: Db,
  job: { id: string; payload: Record<string, unknown> },
  progress: (p: number) => Promise<void>,
): Promise<void> {
  const { actorId, year, commune, format } = job.payload as { actorId: string; year: number; commune: string | null; format: ExportFormat };
  const actor = await loadActor(db, actorId);
  const report = await getIndicators({ db, clock: deps.clock }, actor, { year, commune: commune ?? undefined });
  const versions = [...new Set(report.indicators.map((i) => `${i.id}@${i.version}`))].join(', ');
  const scope = report.scope.kind === 'province' ? 'Toàn tỉnh Bắc Ninh' : report.scope.communes.map((c) => `${c.name} (${c.code})`).join(', ');
  const total = report.indicators.reduce((n, i) => n + i.byCommune.length, 0) || 1;
  const body = new PassThrough();
  const stored = deps.store.put(exportKey(job.id, format), body, {
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  let written = 0;
  const tick = async () => {
    written++;
    if (written % 500 === 0) await progress((written * 100) / total);
  };
  if (format === 'csv') {
    const write = (line: string) => new Promise<void>((resolve) => (body.write(`${line}\r\n`) ? resolve() : body.once('drain', resolve)));
    await write(`\uFEFF# Báo cáo chỉ tiêu xây dựng xã hội học tập năm ${year}; phạm vi: ${scope}`);
    await write(`# Phiên bản định nghĩa: ${versions}; thời điểm tạo: ${report.generatedAt}`);
    await write(['nam', 'ma_chi_tieu', 'ten_chi_tieu', 'phien_ban', 'ma_xa', 'ten_xa', 'tu_so', 'mau_so', 'ty_le_phan_tram', 'chi_tieu_phan_tram'].join(','));
    for (const r of rowsOf(report)) {
      await write([year, r.indicator, r.name, r.version, r.commune, r.communeName, r.numerator, r.denominator, r.rate, r.target].map(csvCell).join(','));
      await tick();
    }
    body.end();
  } else {
    await writeReportForm(body, report, { year, scope, unit: await reportingUnit(db, report), groupOf: await groupsOf(db), tick });
  }
  await stored;
  await progress(100);
}

export function indicatorExportJobHandlers(deps: { store: ObjectStore; clock: Clock }): Record<string, JobHandler> {
  return { [INDICATORS_EXPORT_JOB]: (job, ctx) => runIndicatorExport(deps, ctx.db, job, ctx.progress) };
}
