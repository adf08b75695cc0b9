// An open-addressing hash table from IPv4 addresses (uint32, 0.0.0.0 never stored) to values.
// A Map with such keys hashes a heap number on every probe (most addresses exceed the small-
// integer range); this probes an Int32Array, which the per-connection path does twice.
const MIN_BITS = 10;
const GOLDEN = 0x9e3779b1;

export class V4Table<T> {
  private bits = MIN_BITS;
  private keys = new Int32Array(1 << MIN_BITS);
  private vals: (T | undefined)[] = new Array<T | undefined>(1 << MIN_BITS);
  size = 0;

  private slot(k: number): number {
    const mask = (1 << this.bits) - 1;
    let i = Math.imul(k, GOLDEN) >>> (32 - this.bits);
    const keys = this.keys;
    while (keys[i] !== 0 && keys[i] !== k) i = (i + 1) & mask;
    return i;
  }

  get(v: number): T | undefined {
    const k = v | 0;
    if (k === 0) return undefined;
    return this.vals[this.slot(k)];
  }

  set(v: number, val: T): void {
    const k = v | 0;
    if (k === 0) return;
    let i = this.slot(k);
    if (this.keys[i] === 0) {
      if ((this.size + 1) * 2 > this.keys.length) {
        this.grow();
        i = this.slot(k);
      }
      this.keys[i] = k;
      this.size++;
    }
    this.vals[i] = val;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.bits++;
    this.keys = new Int32Array(1 << this.bits);
    this.vals = new Array<T | undefined>(1 << this.bits);
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === 0) continue;
      const i = this.slot(k);
      this.keys[i] = k;
      this.vals[i] = oldVals[j];
    }
  }

  *values(): IterableIterator<T> {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) yield this.vals[i]!;
  }
}
