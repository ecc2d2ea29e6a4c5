import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields holding commas, quotes and line breaks', () => {
    const { header, rows } = parseCsv('a,b\n"x, y","say ""hi""\nthere"\n3,4\n');
    expect(header).toEqual(['a', 'b']);
    expect(rows[0]?.values).toEqual({ a: 'x, y', b: 'say "hi"\nthere' });
    expect(rows[1]).toEqual({ line: 4, values: { a: '3', b: '4' } });
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const { header, rows } = parseCsv('\uFEFFcode,name\r\n07627,Đại Sơn\r\n');
    expect(header).toEqual(['code', 'name']);
    expect(rows).toEqual([{ line: 2, values: { code: '07627', name: 'Đại Sơn' } }]);
  });

  it('names the line of a row with the wrong number of columns', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,2\n3\n');
    } catch (e) {
      expect((e as CsvError).line).toBe(3);
    }
  });

  it('rejects a quote that is never closed', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/never closed/);
  });
});
