import { registryImportKinds, registryImportTemplates } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { importColumns, locateHeader, mapColumns } from './import-columns.ts';

describe('import columns', () => {
  it('match the templates the web page shows, required and optional', () => {
    for (const kind of registryImportKinds) {
      const specs = importColumns[kind];
      expect(
        specs
          .filter((s) => s.required)
          .map((s) => s.header)
          .sort(),
        kind,
      ).toEqual([...registryImportTemplates[kind].required].sort());
      expect(
        specs
          .filter((s) => !s.required)
          .map((s) => s.header)
          .sort(),
        kind,
      ).toEqual([...registryImportTemplates[kind].optional].sort());
    }
  });

  it('recognise Vietnamese headers whatever their case, accents or punctuation', () => {
    const map = mapColumns('units', ['TÊN ĐƠN VỊ', 'Loại đơn vị', 'Mã số thuế', 'Mã xã', 'Họ và tên', 'Năm sinh', 'Số CCCD']);
    expect(map.missing).toEqual([]);
    expect(map.index).toMatchObject({ unitName: 0, unitKind: 1, unitCode: 2, communeCode: 3, fullName: 4, birthYear: 5, idNumber: 6 });
    expect(map.label.idNumber).toBe('Số CCCD');
  });

  it('finds the header below a title row, and reports the first row when no row has the required columns', () => {
    const rows = [
      { line: 1, cells: ['Danh sách hội viên'] },
      { line: 2, cells: ['chi_hoi', 'ma_xa', 'ho_ten', 'nam_sinh'] },
      { line: 3, cells: ['Chi hội 1', '07627', 'A B', '1980'] },
    ];
    expect(locateHeader('khuyen_hoc', rows)).toMatchObject({ headerLine: 2, dataRows: [rows[2]] });
    expect(locateHeader('households', rows).columns.missing.map((c) => c.header)).toEqual(['ma_ho']);
  });
});
