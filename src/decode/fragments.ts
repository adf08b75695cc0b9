// IP fragment reassembly (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6) with hard bounds:
// a table cap, a per-datagram byte cap, a total byte budget and a timeout. Fragments are rare,
// so this path may allocate; the common path never reaches it.
import { evictOldest } from '../util/evict.js';

const MAX_DATAGRAM = 65535 + 40;
const MAX_PENDING = 1024;
const MAX_TOTAL_BYTES = 32 << 20;
const FRAG_TIMEOUT_SEC = 60;
const MAX_PIECES = 256;

interface Pending {
  key: string;
  /** Header bytes of the first fragment (offset 0), rebuilt into the datagram header. */
  header: Uint8Array | null;
  data: Uint8Array;
  /** Covered byte ranges [start, end) of the payload. */
  ranges: number[];
  totalLen: number; // payload length once the last fragment is seen, else -1
  firstTs: number;
  /** Memory held: the size of `data` (what the total budget counts). */
  bytes: number;
  pieces: number;
  firstPacket: number;
}

export type FragWeird = 'table_full' | 'too_large' | 'overlap' | 'timeout' | 'too_many_pieces';

export class FragmentReassembler {
  private readonly pending = new Map<string, Pending>();
  private totalBytes = 0;
  evicted = 0;
  lastWeird: FragWeird | null = null;
  /** Packet number of the first fragment of the datagram returned last. */
  firstPacket = 0;

  /**
   * Adds one fragment. Returns the whole datagram (header then payload) when complete, else null.
   * `hdr` is the IP header (IPv4 header, or IPv6 fixed header + unfragmentable part).
   */
  add(key: string, ts: number, packetNo: number, hdr: Uint8Array, offset: number, more: boolean, payload: Uint8Array): Uint8Array | null {
    this.lastWeird = null;
    this.expire(ts);
    let p = this.pending.get(key);
    if (p === undefined) {
      if (this.pending.size >= MAX_PENDING) {
        // Evict the oldest datagram (Map keeps insertion order).
        this.drop(evictOldest(this.pending)![1]);
        this.evicted++;
        this.lastWeird = 'table_full';
      }
      p = { key, header: null, data: new Uint8Array(0), ranges: [], totalLen: -1, firstTs: ts, bytes: 0, pieces: 0, firstPacket: packetNo };
      this.pending.set(key, p);
    }
    const end = offset + payload.length;
    if (end > MAX_DATAGRAM) {
      this.drop(p);
      this.lastWeird = 'too_large';
      return null;
    }
    if (++p.pieces > MAX_PIECES) {
      this.drop(p);
      this.lastWeird = 'too_many_pieces';
      return null;
    }
    if (end > p.data.length) {
      const nd = new Uint8Array(Math.min(MAX_DATAGRAM, Math.max(end, p.data.length * 2)));
      // The budget counts the buffers held, not just the payload bytes in them.
      if (this.totalBytes + nd.length - p.data.length > MAX_TOTAL_BYTES) {
        this.drop(p);
        this.lastWeird = 'too_large';
        return null;
      }
      nd.set(p.data);
      this.totalBytes += nd.length - p.data.length;
      p.bytes += nd.length - p.data.length;
      p.data = nd;
    }
    for (let i = 0; i < p.ranges.length; i += 2) {
      if (offset < p.ranges[i + 1] && end > p.ranges[i]) this.lastWeird = 'overlap';
    }
    // First data wins on overlap (like most stacks' "first" policy): copy only uncovered bytes.
    this.copyUncovered(p, offset, payload);
    if (offset === 0) p.header = hdr.slice();
    if (!more) p.totalLen = end;
    if (p.header === null || p.totalLen < 0) return null;
    if (!this.covers(p.ranges, p.totalLen)) return null;
    const out = new Uint8Array(p.header.length + p.totalLen);
    out.set(p.header, 0);
    out.set(p.data.subarray(0, p.totalLen), p.header.length);
    this.firstPacket = p.firstPacket;
    this.drop(p);
    return out;
  }

  private copyUncovered(p: Pending, offset: number, payload: Uint8Array): void {
    const end = offset + payload.length;
    let cur = offset;
    const r = p.ranges;
    // ranges are kept sorted and merged
    for (let i = 0; i < r.length && cur < end; i += 2) {
      if (r[i + 1] <= cur) continue;
      if (r[i] >= end) break;
      if (r[i] > cur) p.data.set(payload.subarray(cur - offset, r[i] - offset), cur);
      cur = Math.max(cur, r[i + 1]);
    }
    if (cur < end) p.data.set(payload.subarray(cur - offset), cur);
    // Insert [offset, end) into the sorted, disjoint list and merge its neighbours, in place.
    let k = 0;
    while (k < r.length && r[k + 1] < offset) k += 2;
    let j = k;
    let st = offset;
    let en = end;
    while (j < r.length && r[j] <= en) {
      if (r[j] < st) st = r[j];
      if (r[j + 1] > en) en = r[j + 1];
      j += 2;
    }
    r.splice(k, j - k, st, en);
  }

  private covers(r: number[], total: number): boolean {
    return r.length >= 2 && r[0] === 0 && r[1] >= total;
  }

  private drop(p: Pending): void {
    this.totalBytes -= p.bytes;
    this.pending.delete(p.key);
  }

  private expire(ts: number): void {
    for (const p of this.pending.values()) {
      if (ts - p.firstTs <= FRAG_TIMEOUT_SEC) break;
      this.drop(p);
      this.lastWeird = 'timeout';
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
