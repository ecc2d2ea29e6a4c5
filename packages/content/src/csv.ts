export interface CsvRow {
  /** 1-based line number in the file where the row starts. */
  line: number;
  values: Record<string, string>;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. The first row names the columns. */
export function parseCsv(text: string): { header: string[]; rows: CsvRow[] } {
  const records = splitRecords(text.replace(/^\uFEFF/, ''));
  const first = records.shift();
  if (!first) throw new CsvError('file is empty', 1);
  const header = first.fields.map((h) => h.trim());
  const rows: CsvRow[] = [];
  for (const record of records) {
    if (record.fields.length === 1 && record.fields[0] === '') continue;
    if (record.fields.length !== header.length) {
      throw new CsvError(`expected ${header.length} columns, found ${record.fields.length}`, record.line);
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => {
      values[name] = record.fields[i] ?? '';
    });
    rows.push({ line: record.line, values });
  }
  return { header, rows };
}

function splitRecords(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') inQuotes = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) throw new CsvError('a quoted field is never closed', recordLine);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}
