import { canonicalJson, sha256Hex } from './canonical-json.ts';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainFields {
  seq: number;
  kind: string;
  subjectId: string;
  payloadHash: string;
  prevHash: string;
  createdAt: Date;
}

export const payloadHash = (payload: unknown) => sha256Hex(canonicalJson(payload));

/** Each entry's hash covers its place, its payload's hash and the previous entry's hash. */
export function entryHash(e: ChainFields): string {
  return sha256Hex(
    canonicalJson({ seq: e.seq, kind: e.kind, subjectId: e.subjectId, payloadHash: e.payloadHash, prevHash: e.prevHash, createdAt: e.createdAt.toISOString() }),
  );
}
