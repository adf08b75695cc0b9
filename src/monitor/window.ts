// Episode windows of the threshold detectors (a deauthentication burst, name-poisoning answers,
// Kerberoasting's service tickets): state per key that counts from its first event and starts
// over once the window has passed, in a table bounded by evicting its oldest key.
import { evictOldest } from '../util/evict.js';

export interface Windowed {
  /** Time of the window's first event. */
  first: number;
}

/**
 * The entry of `key` for an event at `ts`: the current one while `ts` is within `windowSecs` of
 * its first event, else a fresh one from `make` (the oldest key evicted when `max` are held;
 * `evicted` says so).
 */
export function windowEntry<T extends Windowed>(map: Map<string, T>, key: string, ts: number, windowSecs: number, max: number, make: () => T): { entry: T; evicted: boolean } {
  const cur = map.get(key);
  if (cur !== undefined && ts - cur.first <= windowSecs) return { entry: cur, evicted: false };
  if (cur !== undefined) map.delete(key);
  let evicted = false;
  if (map.size >= max) {
    evictOldest(map);
    evicted = true;
  }
  const entry = make();
  map.set(key, entry);
  return { entry, evicted };
}

/**
 * What a detector keeps about an alert's open episode (the items its wording lists): the entry of
 * `key` while the book holds the alert (rule, key) open, else a fresh one from `make` — a new
 * episode starts a new list. The table is bounded by evicting its oldest key at `max`.
 */
export function episodeEntry<T>(open: boolean, map: Map<string, T>, key: string, max: number, make: () => T): T {
  let e = open ? map.get(key) : undefined;
  if (e === undefined) {
    map.delete(key);
    if (map.size >= max) evictOldest(map);
    e = make();
    map.set(key, e);
  }
  return e;
}
