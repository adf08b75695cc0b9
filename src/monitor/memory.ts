// Keeps a long-running monitor's resident memory near what it actually holds. V8 lets its old
// generation grow to several times the live heap before collecting (cheap collections make it
// generous), so with a bounded live heap RSS still creeps up for minutes. The monitor asks for a
// full collection when the heap has grown well past what survived the last one: about a tenth of
// a second each time the heap has grown that much, against RSS that otherwise keeps rising
// (bench/RESULTS.md).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Collect when the heap exceeds what survived the last collection by this factor … */
const GROWTH = 1.5;
/** … and by at least this many bytes (small heaps are left alone). */
const SLACK = 64 << 20;

let collect: (() => void) | null | undefined;

/** V8's full collection (made available at run time, as `node --expose-gc` would). */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

export class MemoryGovernor {
  private live = 0;
  collections = 0;

  /** Checks the heap (the monitor calls it every second); collects when it has grown past the allowance. */
  check(): void {
    const gc = collector();
    if (gc === null) return;
    const used = process.memoryUsage().heapUsed;
    if (this.live > 0 && used < this.live * GROWTH + SLACK) return;
    gc();
    this.collections++;
    this.live = process.memoryUsage().heapUsed;
  }
}
