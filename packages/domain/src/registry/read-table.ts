import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DomainError, fieldError } from '../shared/errors.ts';

export interface TableRow {
  /** CSV line (of the record's last line) or sheet row number; the header is line 1 in a plain file. */
  line: number;
  cells: string[];
}

/** Every non-empty row, the header among them: which row is the header depends on the file kind (see locateHeader). */
export interface Table {
  format: 'csv' | 'xlsx';
  rows: TableRow[];
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/**
 * Reads a CSV (UTF-8, comma or semicolon separated) or XLSX (first sheet) file into trimmed text cells.
 * The format is decided by the bytes, never by the name. Rows with no text at all are skipped.
 */
export async function readTable(bytes: Buffer): Promise<Table> {
  if (bytes.length === 0) throw fieldError('validation_failed', '/body', 'the file is empty');
  if (bytes.subarray(0, 4).equals(OLE)) {
    throw new DomainError('unsupported_media_type', 'this is an old Excel (.xls) file: save it as .xlsx or CSV (UTF-8) and upload again');
  }
  const table = bytes.subarray(0, 4).equals(ZIP) ? await readXlsx(bytes) : readCsv(bytes);
  if (table.rows.length === 0) throw fieldError('validation_failed', '/body', 'the file has no rows');
  return table;
}

function readCsv(bytes: Buffer): Table {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('unsupported_media_type', 'the file is neither XLSX nor a UTF-8 CSV: in Excel choose "CSV UTF-8" when saving');
  }
  if (text.includes('\u0000')) throw new DomainError('unsupported_media_type', 'the file is neither XLSX nor a text CSV');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw fieldError('validation_failed', '/body', `the CSV cannot be read${line ? ` at line ${line}` : ''}: ${(error as Error).message}`);
  }
  const rows = records.map((r) => ({ line: r.info.lines, cells: r.record.map((c) => c.normalize('NFC').trim()) }));
  return { format: 'csv', rows: rows.filter((r) => r.cells.some((c) => c !== '')) };
}

async function readXlsx(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's types predate Buffer<ArrayBufferLike>.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new DomainError('unsupported_media_type', `the XLSX file cannot be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw fieldError('validation_failed', '/body', 'the workbook has no sheet with data');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= row.cellCount; col += 1) cells.push(cellText(row.getCell(col).value));
    if (cells.some((c) => c !== '')) rows.push({ line: rowNumber, cells });
  });
  return { format: 'xlsx', rows };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .normalize('NFC')
        .trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text.normalize('NFC').trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}
