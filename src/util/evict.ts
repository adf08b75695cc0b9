// Evicting the oldest entry of a bounded Map. `m.delete(m.keys().next().value)` looks O(1) but is
// not in V8: a Map keeps deleted entries as holes until its table is rebuilt, and every new
// iterator starts at the front, so at a full table each eviction walks past all the holes that
// earlier evictions left there (300,000 evictions at 20,000 entries: 3.6 s instead of 0.1 s).
// Under a flood of forged sources every packet evicts, and the monitor fell minutes behind.
// One iterator per Map, kept across calls, walks past each hole once: a Map iterator stays
// valid through later sets, deletes, clear() and table rebuilds (ECMAScript §24.1.5), and since
// every entry it returns is deleted here, the next live entry it finds is the oldest one.
const cursors = new WeakMap<Map<unknown, unknown>, Iterator<[unknown, unknown]>>();

/** Deletes the oldest (first inserted) entry of `m` and returns it; undefined when `m` is empty. */
export function evictOldest<K, V>(m: Map<K, V>): [K, V] | undefined {
  let it = cursors.get(m) as Iterator<[K, V]> | undefined;
  let r = it?.next();
  if (r === undefined || r.done === true) {
    // A finished iterator stays finished (entries set since are not seen): start a new one.
    it = m.entries();
    cursors.set(m, it);
    r = it.next();
    if (r.done === true) return undefined;
  }
  m.delete(r.value[0]);
  return r.value;
}
