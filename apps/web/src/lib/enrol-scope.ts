import type { Commune, Me } from '@hts/contracts';

/**
 * The communes a person may enrol a group from: everyone's for an admin or a course's trainer (the API
 * checks the course is theirs), else those an officer's scope covers (a province covers all its communes).
 */
export function enrolCommunes(user: Pick<Me, 'roles'>, communes: readonly Commune[], asTrainer: boolean): Commune[] {
  if (asTrainer || user.roles.some((r) => r.role === 'admin')) return [...communes];
  const scope = user.roles.filter((r) => r.role === 'officer').flatMap((r) => r.scope);
  if (scope.some((s) => s.type === 'province')) return [...communes];
  const codes = new Set(scope.map((s) => s.code));
  return communes.filter((c) => codes.has(c.code));
}

export type BulkEnrolInput = { contacts: string[] } | { communeCode: string; targetGroupCode?: string };

/** The list a person pasted: one contact per line (commas and semicolons also separate), blanks dropped, each once. */
export function parseContacts(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,;]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

/** What the form asks for: a pasted list (by=contacts) or a commune with an optional target group (by=commune). */
export function bulkEnrolInput(fields: {
  by: string;
  contacts: string;
  communeCode: string;
  targetGroupCode: string;
}): BulkEnrolInput | { error: 'contacts' | 'communeCode' } {
  if (fields.by === 'commune') {
    if (!/^[0-9]{5}$/.test(fields.communeCode)) return { error: 'communeCode' };
    return { communeCode: fields.communeCode, ...(fields.targetGroupCode ? { targetGroupCode: fields.targetGroupCode } : {}) };
  }
  const contacts = parseContacts(fields.contacts);
  if (contacts.length === 0 || contacts.length > 2000) return { error: 'contacts' };
  return { contacts };
}
