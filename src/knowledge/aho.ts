// Aho–Corasick substring index (Aho & Corasick, "Efficient string matching", CACM 18(6), 1975):
// built once from many patterns, it reports every pattern occurring in a text in one pass over
// the text, so "partial" fingerprint tests cost O(text length + hits) instead of one scan of the
// pattern list per lookup. Transitions of all nodes live in one Map keyed by node and UTF-16 unit.

const UNIT = 0x10000;

export class SubstringIndex<T> {
  private readonly next = new Map<number, number>();
  private fail: Int32Array = new Int32Array(0);
  /** Nearest node on the fail chain that ends a pattern (-1: none). */
  private dictLink: Int32Array = new Int32Array(0);
  private readonly outputs: T[][] = [[]];
  private nodes = 1;
  private built = false;

  get size(): number {
    return this.nodes;
  }

  /** Adds `value` under `pattern`; patterns may repeat. Call before the first search. */
  add(pattern: string, value: T): void {
    if (this.built) throw new Error('SubstringIndex: add() after build()');
    if (pattern.length === 0) throw new RangeError('SubstringIndex: empty pattern');
    let s = 0;
    for (let i = 0; i < pattern.length; i++) {
      const key = s * UNIT + pattern.charCodeAt(i);
      let t = this.next.get(key);
      if (t === undefined) {
        t = this.nodes++;
        this.next.set(key, t);
        this.outputs.push([]);
      }
      s = t;
    }
    this.outputs[s].push(value);
  }

  /** Computes failure links breadth-first. */
  build(): void {
    const n = this.nodes;
    this.fail = new Int32Array(n);
    this.dictLink = new Int32Array(n).fill(-1);
    const children: number[][] = Array.from({ length: n }, () => []);
    const childUnit: number[][] = Array.from({ length: n }, () => []);
    for (const [key, t] of this.next) {
      const parent = Math.floor(key / UNIT);
      children[parent].push(t);
      childUnit[parent].push(key - parent * UNIT);
    }
    const queue: number[] = [];
    for (const c of children[0]) queue.push(c);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const kids = children[s];
      const units = childUnit[s];
      for (let k = 0; k < kids.length; k++) {
        const t = kids[k];
        const u = units[k];
        let f = this.fail[s];
        let g = this.next.get(f * UNIT + u);
        while (g === undefined && f !== 0) {
          f = this.fail[f];
          g = this.next.get(f * UNIT + u);
        }
        const ft = g !== undefined && g !== t ? g : 0;
        this.fail[t] = ft;
        this.dictLink[t] = this.outputs[ft].length > 0 ? ft : this.dictLink[ft];
        queue.push(t);
      }
    }
    this.built = true;
  }

  /** Values of every pattern that occurs in `text`, each pattern once, in order of first end. */
  search(text: string): T[] {
    if (!this.built) this.build();
    const out: T[] = [];
    const seen = new Set<number>();
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      let t = this.next.get(s * UNIT + u);
      while (t === undefined && s !== 0) {
        s = this.fail[s];
        t = this.next.get(s * UNIT + u);
      }
      s = t ?? 0;
      for (let o = this.outputs[s].length > 0 ? s : this.dictLink[s]; o > 0; o = this.dictLink[o]) {
        // A node seen before had its whole dictionary chain reported then.
        if (seen.has(o)) break;
        seen.add(o);
        for (const v of this.outputs[o]) out.push(v);
      }
    }
    return out;
  }
}
