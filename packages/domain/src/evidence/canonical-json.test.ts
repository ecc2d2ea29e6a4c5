import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('sorts keys at every level and leaves out undefined values, keeping array order', () => {
    const value = { b: [3, { z: 1, a: 'x' }], a: { d: null, c: undefined, é: true }, 'key "q"': 1.5 };
    expect(canonicalJson(value)).toBe('{"a":{"d":null,"é":true},"b":[3,{"a":"x","z":1}],"key \\"q\\"":1.5}');
  });

  it('answers the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: { b: 1, a: [1, 2] }, y: 'ý' })).toBe(canonicalJson({ y: 'ý', x: { a: [1, 2], b: 1 } }));
  });
});
