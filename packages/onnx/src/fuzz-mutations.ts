// Test helper (excluded from the build, used by fuzz.test.ts):
// seeded random corruptions of a model file.

export type Mutation = 'flip' | 'truncate' | 'insert' | 'delete' | 'varint' | 'splice';
const MUTATIONS: readonly Mutation[] = ['flip', 'truncate', 'insert', 'delete', 'varint', 'splice'];

/** A copy of one of `bases` with one to four random corruptions applied. */
export function mutate(
  bases: readonly Uint8Array[],
  random: () => number,
): { bytes: Uint8Array; mutations: Mutation[] } {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes: Uint8Array = Uint8Array.from(bases[pick(bases.length)]);
  const mutations: Mutation[] = [];
  for (let k = 1 + pick(4); k > 0; k--) {
    const m = MUTATIONS[pick(MUTATIONS.length)];
    mutations.push(m);
    const at = pick(Math.max(1, bytes.length));
    if (m === 'flip') bytes[at] ^= 1 << pick(8);
    else if (m === 'truncate') bytes = bytes.slice(0, at);
    else if (m === 'insert')
      bytes = concat(bytes.subarray(0, at), Uint8Array.of(pick(256)), bytes.subarray(at));
    else if (m === 'delete') bytes = concat(bytes.subarray(0, at), bytes.subarray(at + 1 + pick(16)));
    else if (m === 'varint')
      bytes.fill(0xff, at, at + 1 + pick(10)); // huge lengths and dims
    else {
      const other = bases[pick(bases.length)];
      const from = pick(other.length);
      bytes.set(other.subarray(from, from + pick(64)).subarray(0, bytes.length - at), at);
    }
  }
  return { bytes, mutations };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
