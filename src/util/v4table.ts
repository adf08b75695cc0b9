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

/**
 * An open-addressing table from ordered pairs of IPv4 addresses to non-negative integers. The
 * observer counts every connection by its host pair; a string key "a|b" was built, flattened and
 * hashed for each of them.
 */
export class V4PairTable {
  private bits = MIN_BITS;
  private a = new Int32Array(1 << MIN_BITS);
  private b = new Int32Array(1 << MIN_BITS);
  /** Value + 1 in each slot; 0 for an empty slot. */
  private val = new Int32Array(1 << MIN_BITS);
  size = 0;

  private slot(a: number, b: number): number {
    const mask = (1 << this.bits) - 1;
    let i = Math.imul(a ^ Math.imul(b, 0x85ebca6b), GOLDEN) >>> (32 - this.bits);
    const val = this.val;
    while (val[i] !== 0 && (this.a[i] !== a || this.b[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  /** The pair's value, or -1. */
  get(a: number, b: number): number {
    return this.val[this.slot(a | 0, b | 0)] - 1;
  }

  /** Sets the pair's value (0 ≤ v < 2^31 - 1). */
  set(a: number, b: number, v: number): void {
    const ka = a | 0;
    const kb = b | 0;
    let i = this.slot(ka, kb);
    if (this.val[i] === 0) {
      if ((this.size + 1) * 2 > this.val.length) {
        this.grow();
        i = this.slot(ka, kb);
      }
      this.a[i] = ka;
      this.b[i] = kb;
      this.size++;
    }
    this.val[i] = v + 1;
  }

  private grow(): void {
    const oa = this.a;
    const ob = this.b;
    const ov = this.val;
    this.bits++;
    this.a = new Int32Array(1 << this.bits);
    this.b = new Int32Array(1 << this.bits);
    this.val = new Int32Array(1 << this.bits);
    for (let j = 0; j < ov.length; j++) {
      if (ov[j] === 0) continue;
      const i = this.slot(oa[j], ob[j]);
      this.a[i] = oa[j];
      this.b[i] = ob[j];
      this.val[i] = ov[j];
    }
  }
}

/**
 * A fixed-size cache of recent ordered IPv4 pairs with a time each: one slot per hash, a newer
 * pair overwriting an older one there. Nothing grows and nothing is allocated per call, so it can
 * sit on the per-connection path (a flood of new connections just cycles it); what it forgets is
 * what a bounded Map would have evicted, only sooner on a collision.
 */
export class V4PairCache {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** The time stored with the pair; NaN for an empty slot. */
  private readonly t: Float64Array;
  private readonly bits: number;

  /** `bits`: the cache holds 2^bits slots. */
  constructor(bits: number) {
    this.bits = bits;
    this.a = new Int32Array(1 << bits);
    this.b = new Int32Array(1 << bits);
    this.t = new Float64Array(1 << bits).fill(NaN);
  }

  private slot(a: number, b: number): number {
    return Math.imul(a ^ Math.imul(b, 0x85ebca6b), GOLDEN) >>> (32 - this.bits);
  }

  set(a: number, b: number, time: number): void {
    const i = this.slot(a | 0, b | 0);
    this.a[i] = a | 0;
    this.b[i] = b | 0;
    this.t[i] = time;
  }

  /** The pair's time, or NaN when the cache does not hold it. */
  get(a: number, b: number): number {
    const i = this.slot(a | 0, b | 0);
    return this.a[i] === (a | 0) && this.b[i] === (b | 0) ? this.t[i] : NaN;
  }
}
