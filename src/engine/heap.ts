// The heap policy of a batch analysis. V8 sizes its old generation by how cheap its last full
// collections were: wardline's are cheap (marking runs concurrently on the second core), so V8
// lets the old generation grow to three or four times what survives before collecting again,
// and a run's peak RSS is mostly garbage waiting for that collection. A fixed growing factor of
// 1.5 collects sooner: on the benchmark, peak RSS 765–796 MiB against 928–951 MiB, for about
// ten more full collections (their marking is concurrent; the main thread's share was ~0.1 s
// each, within the sitting's noise; bench/RESULTS.md). The monitor, which runs for days, has its
// own governor (src/monitor/memory.ts).
import { setFlagsFromString } from 'node:v8';

/** The old generation may grow to this percentage above what survived the last full collection. */
const HEAP_GROWING_PERCENT = 50;

let applied = false;

/** Applies the batch heap policy to this process (once; later calls do nothing). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
