import type { Writable } from 'node:stream';
import type { IndicatorConditionKind, IndicatorReport } from '@hts/contracts';
import { type Db, queryRows } from '@hts/db';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { loadIndicatorDefinitions } from './rollups.ts';

/*
 * The yearly report as a sheet shaped like a Vietnamese administrative report form (biểu mẫu báo cáo): the
 * reporting unit and the national motto at the top, the title with the year, numbered columns, sections in
 * Roman numerals, one numbered row per indicator with the scope's total and one row per commune under it,
 * then the definitions used and the signature block. No official form of the Hội Khuyến học's yearly report
 * was found in the project's sources, so the sections follow the indicator groups (see content/indicators/README.md).
 */

export interface ReportSection {
  numeral: string;
  title: string;
}

/** The sections of the form, by what the indicator's numerator counts. */
const SECTIONS: Record<IndicatorConditionKind, ReportSection> = {
  'person-title': { numeral: 'I', title: 'CÔNG DÂN HỌC TẬP' },
  'collective-title': { numeral: 'II', title: 'GIA ĐÌNH, DÒNG HỌ, CỘNG ĐỒNG, ĐƠN VỊ HỌC TẬP' },
  'unit-gate': { numeral: 'II', title: 'GIA ĐÌNH, DÒNG HỌ, CỘNG ĐỒNG, ĐƠN VỊ HỌC TẬP' },
  trained: { numeral: 'III', title: 'BỒI DƯỠNG CÁN BỘ, HỘI VIÊN HỘI KHUYẾN HỌC' },
  'digital-skills': { numeral: 'IV', title: 'KỸ NĂNG SỐ' },
};
const NUMERALS = ['I', 'II', 'III', 'IV'];

/** Indicator id → section, from the stored definitions (every version of an id counts the same kind). */
export async function groupsOf(db: Db): Promise<(indicatorId: string) => ReportSection> {
  const byId = new Map((await loadIndicatorDefinitions(db)).map((d) => [d.id, SECTIONS[d.numerator.kind]]));
  return (id) => byId.get(id) ?? { numeral: 'V', title: 'CHỈ TIÊU KHÁC' };
}

/** "Hội Khuyến học tỉnh Bắc Ninh", or of the one commune reported on. */
export async function reportingUnit(db: Db, report: IndicatorReport): Promise<string> {
  const [c] = report.scope.kind === 'commune' && report.scope.communes.length === 1 ? report.scope.communes : [];
  if (c) {
    const [g] = await queryRows<{ type: string }>(db, sql`select type::text as type from geo_units where code = ${c.code}`);
    return `Hội Khuyến học ${g?.type === 'ward' ? 'phường' : 'xã'} ${c.name}`;
  }
  const [p] = await queryRows<{ name: string }>(db, sql`select name from geo_units where type = 'province' order by code limit 1`);
  return `Hội Khuyến học tỉnh ${p?.name ?? ''}`.trim();
}

const COLUMNS = ['STT', 'Chỉ tiêu / Xã, phường', 'Mã xã', 'Tử số', 'Mẫu số', 'Tỷ lệ (%)', 'Chỉ tiêu (%)', 'So với chỉ tiêu', 'Phiên bản định nghĩa'];
const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/**
 * Streams the form through exceljs' WorkbookWriter into `out`: each row is committed as soon as it is written,
 * so the workbook is never whole in memory.
 */
export async function writeReportForm(
  out: Writable,
  report: IndicatorReport,
  opts: { year: number; scope: string; unit: string; groupOf: (id: string) => ReportSection; tick: () => Promise<void> },
): Promise<void> {
  const { year } = opts;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(`Báo cáo năm ${year}`, {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [{ width: 7 }, { width: 62 }, { width: 9 }, { width: 11 }, { width: 11 }, { width: 10 }, { width: 11 }, { width: 15 }, { width: 30 }];
  const line = (values: Array<string | number | null>, style?: (row: ExcelJS.Row) => void) => {
    const row = sheet.addRow(values);
    style?.(row);
    row.commit();
    return row.number;
  };
  const merged = (text: string, from: string, to: string, font: Partial<ExcelJS.Font>, row: number) => {
    sheet.mergeCells(`${from}${row}:${to}${row}`);
    const cell = sheet.getCell(`${from}${row}`);
    cell.value = text;
    cell.font = font;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };

  // title block: the reporting unit (left) and the national motto (right), then the title, the year and when
  let r = sheet.lastRow ? sheet.lastRow.number + 1 : 1;
  merged(opts.unit.toUpperCase(), 'A', 'C', { bold: true }, r);
  merged('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'E', 'I', { bold: true }, r);
  sheet.getRow(r).commit();
  r++;
  merged(`Phạm vi: ${opts.scope}`, 'A', 'C', { italic: true }, r);
  merged('Độc lập – Tự do – Hạnh phúc', 'E', 'I', { bold: true, underline: true }, r);
  sheet.getRow(r).commit();
  r++;
  sheet.getRow(r).commit();
  r++;
  merged(`BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM ${year}`, 'A', 'I', { bold: true, size: 14 }, r);
  sheet.getRow(r).commit();
  r++;
  merged(
    `Năm báo cáo: ${year}. Thời điểm tạo: ${report.generatedAt} (số liệu tính từ sổ đăng ký, danh hiệu và xác nhận trên nền tảng Học tập số)`,
    'A',
    'I',
    { italic: true },
    r,
  );
  sheet.getRow(r).commit();
  r++;
  sheet.getRow(r).commit();

  const head = (row: ExcelJS.Row) => {
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    row.eachCell((c) => {
      c.border = thin;
    });
  };
  line(COLUMNS, head);
  line(
    COLUMNS.map((_, i) => `(${i + 1})`),
    (row) => {
      row.font = { italic: true };
      row.alignment = { horizontal: 'center' };
      row.eachCell((c) => {
        c.border = thin;
      });
    },
  );

  const sections = new Map<string, { section: ReportSection; indicators: IndicatorReport['indicators'] }>();
  for (const ind of report.indicators) {
    const section = opts.groupOf(ind.id);
    const entry = sections.get(section.numeral) ?? { section, indicators: [] };
    entry.indicators.push(ind);
    sections.set(section.numeral, entry);
  }
  const boxed = (row: ExcelJS.Row) =>
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = thin;
    });
  const percent = '0.0';
  let number = 0;
  for (const numeral of [...NUMERALS, 'V']) {
    const entry = sections.get(numeral);
    if (!entry) continue;
    line([entry.section.numeral, entry.section.title, null, null, null, null, null, null, null], (row) => {
      row.font = { bold: true };
      boxed(row);
    });
    for (const ind of entry.indicators) {
      number++;
      const target = ind.target;
      const verdict = (rate: number | null) =>
        target === null || rate === null ? null : target.year === year ? (rate >= target.value ? 'Đạt' : 'Chưa đạt') : `mốc ${target.year}`;
      line(
        [String(number), ind.nameVi, null, ind.numerator, ind.denominator, ind.rate, target?.value ?? null, verdict(ind.rate), `${ind.id}@${ind.version}`],
        (row) => {
          row.font = { bold: true };
          row.getCell(2).alignment = { wrapText: true };
          row.getCell(6).numFmt = percent;
          boxed(row);
        },
      );
      let sub = 0;
      for (const c of [...ind.byCommune].sort((a, b) => a.code.localeCompare(b.code))) {
        sub++;
        line([`${number}.${sub}`, c.name, c.code, c.numerator, c.denominator, c.rate, target?.value ?? null, verdict(c.rate), null], (row) => {
          row.getCell(6).numFmt = percent;
          boxed(row);
        });
        await opts.tick();
      }
    }
  }

  // footer: the definitions this report used, then the signature block
  line([]);
  line([null, 'Ghi chú: định nghĩa chỉ tiêu đã dùng (mã@phiên bản) và cách tính'], (row) => {
    row.font = { bold: true };
  });
  for (const ind of report.indicators)
    line([null, `${ind.id}@${ind.version}: ${ind.methodVi}`], (row) => {
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    });
  line([]);
  line([null, 'NGƯỜI LẬP BIỂU', null, null, null, null, 'THỦ TRƯỞNG ĐƠN VỊ'], (row) => {
    row.font = { bold: true };
  });
  sheet.commit();
  await workbook.commit();
}
