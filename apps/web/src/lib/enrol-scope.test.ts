import type { Commune, Me } from '@hts/contracts';
import { describe, expect, it } from 'vitest';
import { bulkEnrolInput, enrolCommunes, parseContacts } from './enrol-scope.ts';

const communes: Commune[] = [
  { code: '07627', name: 'Tân Dĩnh', type: 'xa', typeLabel: 'xã' },
  { code: '07615', name: 'Bắc Giang', type: 'phuong', typeLabel: 'phường' },
];
const officerOf = (...scope: Me['roles'][number]['scope']): Pick<Me, 'roles'> => ({ roles: [{ role: 'officer', scope }] });

describe('bulk enrolment form', () => {
  it('offers an officer only the communes of their scope, and all of them for a province officer, an admin or a trainer', () => {
    expect(enrolCommunes(officerOf({ code: '07627', name: 'Tân Dĩnh', type: 'xa' }), communes, false).map((c) => c.code)).toEqual(['07627']);
    expect(enrolCommunes(officerOf({ code: '24', name: 'Bắc Ninh', type: 'province' }), communes, false)).toHaveLength(2);
    expect(enrolCommunes({ roles: [{ role: 'admin', scope: [] }] }, communes, false)).toHaveLength(2);
    expect(enrolCommunes({ roles: [{ role: 'trainer', scope: [] }] }, communes, true)).toHaveLength(2);
    expect(enrolCommunes({ roles: [{ role: 'citizen', scope: [] }] }, communes, false)).toEqual([]);
  });

  it('reads a pasted list one contact per line, also split on commas and semicolons, each once', () => {
    expect(parseContacts(' 0912345678\nlan@example.vn, 0912345678;\n\n  minh@example.vn ')).toEqual(['0912345678', 'lan@example.vn', 'minh@example.vn']);
  });

  it('asks for a list or a five-digit commune code, naming the field at fault', () => {
    expect(bulkEnrolInput({ by: 'contacts', contacts: 'lan@example.vn', communeCode: '', targetGroupCode: '' })).toEqual({ contacts: ['lan@example.vn'] });
    expect(bulkEnrolInput({ by: 'contacts', contacts: ' \n ', communeCode: '', targetGroupCode: '' })).toEqual({ error: 'contacts' });
    expect(bulkEnrolInput({ by: 'commune', contacts: '', communeCode: '07627', targetGroupCode: 'nong-dan' })).toEqual({
      communeCode: '07627',
      targetGroupCode: 'nong-dan',
    });
    expect(bulkEnrolInput({ by: 'commune', contacts: '', communeCode: '07627', targetGroupCode: '' })).toEqual({ communeCode: '07627' });
    expect(bulkEnrolInput({ by: 'commune', contacts: '', communeCode: 'abc', targetGroupCode: '' })).toEqual({ error: 'communeCode' });
  });
});
