/** A free block of the heap, linked into the list of its size class. */
export interface FreeBlock {
  start: number;
  size: number;
  bin: number;
  prev: FreeBlock | null;
  next: FreeBlock | null;
}

/** Free blocks in size classes (two-level segregated fit, as in TLSF): a class per power of two,
 * split into 8 sub-classes, each a linked list, and a bitmap of the non-empty classes. Insert,
 * remove and find are O(1): a find looks at a bounded number of blocks of the request's own
 * class, then takes the first block of the next non-empty larger class (all of which fit).
 * Sizes are multiples of 64 bytes, from 64 bytes to 4 GiB. */
export class FreeBins {
  private readonly heads: (FreeBlock | null)[] = new Array(BIN_COUNT).fill(null);
  private readonly bitmap = new Uint32Array(Math.ceil(BIN_COUNT / 32));
  /** Free-list operations: blocks linked or unlinked, blocks and bitmap words looked at by
   * `find`. A count of the work done, for tests that check it stays bounded per call without
   * timing anything. */
  steps = 0;

  insert(block: FreeBlock): void {
    this.steps++;
    const bin = binOf(block.size);
    const head = this.heads[bin];
    block.bin = bin;
    block.prev = null;
    block.next = head;
    if (head) head.prev = block;
    this.heads[bin] = block;
    this.bitmap[bin >>> 5] |= 1 << (bin & 31);
  }

  remove(block: FreeBlock): void {
    this.steps++;
    const { bin, prev, next } = block;
    if (prev) prev.next = next;
    else this.heads[bin] = next;
    if (next) next.prev = prev;
    block.prev = block.next = null;
    if (!this.heads[bin]) this.bitmap[bin >>> 5] &= ~(1 << (bin & 31));
  }

  /** A free block of at least `size` bytes, or null. */
  find(size: number): FreeBlock | null {
    const own = binOf(size);
    let block = this.heads[own];
    for (let looked = 0; block && looked < OWN_CLASS_LOOKS; looked++, block = block.next) {
      this.steps++;
      if (block.size >= size) return block;
    }
    for (let word = (own + 1) >>> 5; word < this.bitmap.length; word++) {
      this.steps++;
      const bits =
        word === (own + 1) >>> 5 ? this.bitmap[word] & (~0 << ((own + 1) & 31)) : this.bitmap[word];
      if (bits !== 0) return this.heads[word * 32 + 31 - Math.clz32(bits & -bits)];
    }
    return null;
  }
}

/** Blocks of the request's own class looked at before a larger class is used: a block there
 * may be smaller than the request. A few looks keep exact-size reuse (the same buffers freed
 * and allocated again) without a scan whose cost grows with the number of free blocks. */
const OWN_CLASS_LOOKS = 8;
/** Eight sub-classes per power of two; below 8 units (512 B) one class per size. */
const SUB_BITS = 3;
const SUBS = 1 << SUB_BITS;
/** Sizes in 64-byte units are below 2^27 (4 GiB is 2^26 units): classes up to log2 = 26. */
const BIN_COUNT = (27 - SUB_BITS + 1) * SUBS;

function binOf(size: number): number {
  const units = size / 64;
  if (units < SUBS) return units;
  const log2 = 31 - Math.clz32(units);
  return (log2 - SUB_BITS + 1) * SUBS + ((units >>> (log2 - SUB_BITS)) & (SUBS - 1));
}
