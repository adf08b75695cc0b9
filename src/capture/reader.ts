// Streaming capture reader for pcap (libpcap file format, both byte orders, micro- and
// nanosecond magic) and pcapng (draft-ietf-opsawg-pcapng: SHB, IDB, EPB, SPB, OPB; several
// sections and interfaces; if_tsresol and if_tsoffset; unknown blocks skipped).
// Reads into one reused buffer; a record that straddles the buffer end is moved to the front
// and the rest read after it, so only the tail of a chunk is ever copied. A file source reads
// ahead instead: two buffers alternate, the kernel filling one on a libuv thread while the
// packets of the other are decoded, and a straddling tail is copied into the head room kept
// in front of the next chunk. Reading a 1 GB capture from the page cache costs about a quarter
// second of copying; this way it overlaps the decoding rather than adding to it.
import { CaptureError } from './errors.js';
import { PacketRecord } from './record.js';
import type { ByteSource } from './source.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
/**
 * Alexey Kuznetsov's "modified" libpcap of 1999 (SuSE 6.3, Red Hat 6.1): each record header
 * gains the interface index, protocol and packet type (8 bytes, SuSE's 12).
 */
const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const PCAPNG_IDB = 1;
const PCAPNG_OPB = 2;
const PCAPNG_SPB = 3;
const PCAPNG_EPB = 6;
const PCAP_HDR_LEN = 24;
const PCAP_REC_HDR = 16;
/**
 * Record header sizes to try, in order, by file magic (Wireshark's libpcap reader tries the same):
 * the standard magic is also written by Red Hat 6.1's beta (24-byte headers) and Nokia IPSO (20);
 * the modified magic by the modified libpcap and Red Hat 6.1 (24) and SuSE 6.3 (28).
 */
const REC_HDRS_STANDARD = [16, 24, 20];
const REC_HDRS_MODIFIED = [24, 28];
/** Records checked to choose a record header size. */
const REC_HDR_PROBES = 4;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
/** Largest record we accept; bigger means a corrupt length field, not a packet. */
const MAX_RECORD = 1 << 24;
const MAX_INTERFACES = 1024;
const BUF_SIZE = 1 << 23;
/** Room in front of each read-ahead chunk for the partial record left at the end of the last. */
const AHEAD_HEAD = 1 << 20;

export type CaptureFormat = 'pcap' | 'pcapng';

export interface ReadResult {
  format: CaptureFormat;
  packets: number;
  bytes: number;
  linkTypes: number[];
  /** Set when reading stopped early: the input was truncated or corrupt. */
  error: CaptureError | null;
}

interface Iface {
  linkType: number;
  /** Timestamp units per second, and 2^32 split into whole units for exact 64-bit division. */
  unitsPerSec: number;
  offsetSec: number;
}

/** Per-packet callback. Must not keep `rec.buf` beyond the call. */
export type PacketSink = (rec: PacketRecord) => void;

export class CaptureReader {
  private buf: Uint8Array;
  private view: DataView;
  private start = 0;
  private end = 0;
  private eof = false;
  private totalRead = 0;
  private readonly rec = new PacketRecord();
  private packets = 0;
  private bytes = 0;
  private linkTypes = new Set<number>();
  /** Read-ahead: the two alternating chunk buffers, which one is being read into, the read. */
  private readonly ahead: Uint8Array[] | null;
  private aheadIdx = 0;
  private pending: Promise<number> | null = null;
  private ifaces: Iface[] = [];
  private le = true;
  firstTs: number | null = null;
  lastTs: number | null = null;

  /** Bytes of input consumed so far. */
  get bytesRead(): number {
    return this.totalRead - (this.end - this.start);
  }

  constructor(
    private readonly src: ByteSource,
    private readonly name: string,
    bufSize = BUF_SIZE,
  ) {
    if (src.readAhead !== undefined) {
      this.ahead = [new Uint8Array(AHEAD_HEAD + bufSize), new Uint8Array(AHEAD_HEAD + bufSize)];
      this.buf = this.ahead[1];
    } else {
      this.ahead = null;
      this.buf = new Uint8Array(bufSize);
    }
    this.view = new DataView(this.buf.buffer);
    this.rec.buf = this.buf;
    this.rec.view = this.view;
  }

  private startRead(): void {
    const b = this.ahead![this.aheadIdx];
    const p = this.src.readAhead!(b, AHEAD_HEAD, b.length - AHEAD_HEAD);
    // Awaited by the next fill; if reading stops first (a corrupt record), nobody awaits it.
    p.catch(() => undefined);
    this.pending = p;
  }

  private setBuf(b: Uint8Array, start: number, end: number): void {
    this.buf = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.rec.buf = b;
    this.rec.view = this.view;
    this.start = start;
    this.end = end;
  }

  /** fill() for a read-ahead source: swaps to the chunk read meanwhile and starts the next. */
  private async fillAhead(n: number): Promise<boolean> {
    const bufs = this.ahead!;
    while (this.end - this.start < n && !this.eof) {
      if (this.pending === null) this.startRead();
      const got = await this.pending!;
      this.pending = null;
      if (got === 0) {
        this.eof = true;
        break;
      }
      this.totalRead += got;
      const next = bufs[this.aheadIdx];
      const tail = this.end - this.start;
      if (tail <= AHEAD_HEAD) {
        next.set(this.buf.subarray(this.start, this.end), AHEAD_HEAD - tail);
        this.setBuf(next, AHEAD_HEAD - tail, AHEAD_HEAD + got);
        // The buffer just left is free now (or was idle, if a long record had a buffer of its own).
        this.aheadIdx ^= 1;
      } else {
        // A record longer than the head room: gather it in a buffer of its own.
        const big = new Uint8Array(tail + got);
        big.set(this.buf.subarray(this.start, this.end), 0);
        big.set(next.subarray(AHEAD_HEAD, AHEAD_HEAD + got), tail);
        this.setBuf(big, 0, tail + got);
      }
      this.startRead();
    }
    return this.end - this.start >= n;
  }

  /** Ensures at least `n` bytes are buffered from `start`; false at end of input. */
  private async fill(n: number): Promise<boolean> {
    if (this.end - this.start >= n) return true;
    if (this.ahead !== null) return this.fillAhead(n);
    if (n > this.buf.length) {
      let size = this.buf.length;
      while (size < n) size *= 2;
      const nb = new Uint8Array(size);
      nb.set(this.buf.subarray(this.start, this.end), 0);
      this.end -= this.start;
      this.start = 0;
      this.buf = nb;
      this.view = new DataView(nb.buffer);
      this.rec.buf = nb;
      this.rec.view = this.view;
    } else if (this.start + n > this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end - this.start < n && !this.eof) {
      const got = await this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (got === 0) this.eof = true;
      this.end += got;
      this.totalRead += got;
    }
    return this.end - this.start >= n;
  }

  private result(format: CaptureFormat, error: CaptureError | null): ReadResult {
    return { format, packets: this.packets, bytes: this.bytes, linkTypes: [...this.linkTypes].sort((a, b) => a - b), error };
  }

  private truncated(what: string): CaptureError {
    return new CaptureError(
      'truncated',
      `${this.name} is truncated ${what} after packet ${this.packets.toLocaleString('en-US')}; analysed what was read`,
      this.packets,
    );
  }

  private corrupt(what: string): CaptureError {
    return new CaptureError(
      'corrupt',
      `${this.name} is corrupt (${what}) after packet ${this.packets.toLocaleString('en-US')}; analysed what was read`,
      this.packets,
    );
  }

  async read(sink: PacketSink): Promise<ReadResult> {
    const res = await this.readAny(sink);
    if (res.format === 'pcapng' && this.packets > 0) this.lastTs = this.rec.tsSec + this.rec.tsNsec / 1e9;
    return res;
  }

  private async readAny(sink: PacketSink): Promise<ReadResult> {
    if (!(await this.fill(4))) {
      throw new CaptureError('not_a_capture', `${this.name} is not a pcap or pcapng capture (${this.end - this.start} bytes)`);
    }
    const m = this.view.getUint32(this.start, false);
    const ml = this.view.getUint32(this.start, true);
    if (m === PCAPNG_SHB) return this.readPcapng(sink);
    if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || ml === PCAP_MAGIC_US || ml === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED || ml === PCAP_MAGIC_MODIFIED) {
      return this.readPcap(sink);
    }
    const other = otherFormat(this.buf, this.start, this.end - this.start);
    if (other !== null) throw new CaptureError('not_a_capture', `${this.name} is ${other}`);
    throw new CaptureError('not_a_capture', `${this.name} is not a pcap or pcapng capture (magic 0x${m.toString(16).padStart(8, '0')})`);
  }

  /**
   * The record header size of a libpcap file: the first candidate under which the first
   * records are plausible (lengths within bounds, captured ≤ on the wire, microseconds below a
   * million), or the first candidate when none is (its damage is then reported as such).
   */
  private recordHeaderSize(candidates: number[], le: boolean, nano: boolean, maxRec: number): number {
    const v = this.view;
    for (const h of candidates) {
      let s = this.start;
      let ok = true;
      let n = 0;
      while (n < REC_HDR_PROBES && this.end - s >= h) {
        const caplen = v.getUint32(s + 8, le);
        const wirelen = v.getUint32(s + 12, le);
        const frac = v.getUint32(s + 4, le);
        if (caplen > maxRec || caplen > wirelen || wirelen > MAX_RECORD || frac >= (nano ? 1e9 : 1e6)) {
          ok = false;
          break;
        }
        s += h + caplen;
        n++;
      }
      // The last record checked must end exactly at the data's end or be followed by more.
      if (ok && s > this.end && this.eof) ok = false;
      if (ok) return h;
    }
    return candidates[0];
  }

  private async readPcap(sink: PacketSink): Promise<ReadResult> {
    if (!(await this.fill(PCAP_HDR_LEN))) {
      throw new CaptureError('not_a_capture', `${this.name}: pcap file header is truncated`);
    }
    const v = this.view;
    const mb = v.getUint32(this.start, false);
    const le = !(mb === PCAP_MAGIC_US || mb === PCAP_MAGIC_NS || mb === PCAP_MAGIC_MODIFIED);
    const magic = le ? v.getUint32(this.start, true) : mb;
    const nano = magic === PCAP_MAGIC_NS;
    const snaplen = v.getUint32(this.start + 16, le);
    const linkType = v.getUint32(this.start + 20, le) & 0x0fffffff;
    this.linkTypes.add(linkType);
    this.start += PCAP_HDR_LEN;
    const maxRec = Math.min(MAX_RECORD, Math.max(snaplen, 262144));
    await this.fill(Math.min(REC_HDR_PROBES * (28 + 2048), BUF_SIZE >> 1));
    const rh = this.recordHeaderSize(magic === PCAP_MAGIC_MODIFIED ? REC_HDRS_MODIFIED : REC_HDRS_STANDARD, le, nano, maxRec);
    const rec = this.rec;
    rec.linkType = linkType;
    rec.interfaceId = 0;
    let lastSec = 0;
    let lastNsec = 0;
    const done = (err: CaptureError | null): ReadResult => {
      if (this.packets > 0) this.lastTs = lastSec + lastNsec / 1e9;
      return this.result('pcap', err);
    };
    for (;;) {
      let s = this.start;
      const e = this.end;
      const view = this.view;
      // Hot loop: every complete record in the buffer, without awaiting.
      while (e - s >= rh) {
        const caplen = view.getUint32(s + 8, le);
        if (caplen > maxRec) {
          this.start = s;
          return done(this.corrupt(`record length ${caplen} at byte ${this.totalRead - (e - s)}`));
        }
        if (e - s < rh + caplen) break;
        rec.tsSec = view.getUint32(s, le);
        const frac = view.getUint32(s + 4, le);
        rec.tsNsec = nano ? frac : frac * 1000;
        rec.wirelen = view.getUint32(s + 12, le);
        rec.caplen = caplen;
        rec.off = s + rh;
        rec.packetNo = ++this.packets;
        this.bytes += caplen;
        if (this.packets === 1) this.firstTs = rec.tsSec + rec.tsNsec / 1e9;
        sink(rec);
        s += rh + caplen;
        lastSec = rec.tsSec;
        lastNsec = rec.tsNsec;
      }
      this.start = s;
      if (this.end - this.start === 0 && this.eof) return done(null);
      const need = this.end - this.start < rh ? rh : rh + this.view.getUint32(this.start + 8, le);
      if (!(await this.fill(need))) {
        if (this.end - this.start === 0) return done(null);
        return done(this.truncated(`(${this.end - this.start} bytes of a partial record)`));
      }
      rec.buf = this.buf;
      rec.view = this.view;
    }
  }

  private async readPcapng(sink: PacketSink): Promise<ReadResult> {
    const rec = this.rec;
    for (;;) {
      if (!(await this.fill(12))) {
        if (this.end - this.start === 0) return this.result('pcapng', null);
        return this.result('pcapng', this.truncated('inside a block header'));
      }
      let v = this.view;
      const s0 = this.start;
      const typeBE = v.getUint32(s0, false);
      if (typeBE === PCAPNG_SHB) {
        const bom = v.getUint32(s0 + 8, true);
        if (bom === PCAPNG_BOM) this.le = true;
        else if (v.getUint32(s0 + 8, false) === PCAPNG_BOM) this.le = false;
        else return this.result('pcapng', this.corrupt('bad section byte-order magic'));
        this.ifaces = [];
      }
      const le = this.le;
      const type = v.getUint32(s0, le);
      const len = v.getUint32(s0 + 4, le);
      if (len < 12 || len % 4 !== 0 || len > MAX_RECORD) {
        return this.result('pcapng', this.corrupt(`block length ${len}`));
      }
      if (!(await this.fill(len))) return this.result('pcapng', this.truncated('inside a block'));
      v = this.view;
      const s = this.start;
      rec.buf = this.buf;
      rec.view = v;
      const body = s + 8;
      const bodyEnd = s + len - 4;
      if (type === PCAPNG_EPB || type === PCAPNG_OPB) {
        if (bodyEnd - body < 20) return this.result('pcapng', this.corrupt('short packet block'));
        const ifid = type === PCAPNG_EPB ? v.getUint32(body, le) : v.getUint16(body, le);
        const caplen = v.getUint32(body + 12, le);
        if (caplen > bodyEnd - body - 20) return this.result('pcapng', this.corrupt(`packet length ${caplen} exceeds its block`));
        const iface = this.ifaces[ifid];
        if (iface === undefined) return this.result('pcapng', this.corrupt(`packet on undeclared interface ${ifid}`));
        this.setTime(iface, v.getUint32(body + 4, le), v.getUint32(body + 8, le));
        rec.caplen = caplen;
        rec.wirelen = v.getUint32(body + 16, le);
        rec.off = body + 20;
        rec.linkType = iface.linkType;
        rec.interfaceId = ifid;
        rec.packetNo = ++this.packets;
        this.bytes += caplen;
        if (this.packets === 1) this.firstTs = rec.tsSec + rec.tsNsec / 1e9;
        sink(rec);
      } else if (type === PCAPNG_SPB) {
        const iface = this.ifaces[0];
        if (iface === undefined) return this.result('pcapng', this.corrupt('simple packet block without an interface'));
        const wirelen = v.getUint32(body, le);
        rec.caplen = Math.min(wirelen, bodyEnd - body - 4);
        rec.wirelen = wirelen;
        rec.tsSec = 0;
        rec.tsNsec = 0;
        rec.off = body + 4;
        rec.linkType = iface.linkType;
        rec.interfaceId = 0;
        rec.packetNo = ++this.packets;
        this.bytes += rec.caplen;
        if (this.packets === 1) this.firstTs = rec.tsSec + rec.tsNsec / 1e9;
        sink(rec);
      } else if (type === PCAPNG_IDB) {
        if (this.ifaces.length >= MAX_INTERFACES) return this.result('pcapng', this.corrupt('too many interfaces'));
        if (bodyEnd - body < 8) return this.result('pcapng', this.corrupt('short interface block'));
        const iface: Iface = { linkType: v.getUint16(body, le), unitsPerSec: 1e6, offsetSec: 0 };
        this.readIfaceOptions(iface, body + 8, bodyEnd, le);
        this.ifaces.push(iface);
        this.linkTypes.add(iface.linkType);
      }
      this.start = s + len;
    }
  }

  private readIfaceOptions(iface: Iface, p: number, end: number, le: boolean): void {
    const v = this.view;
    for (let guard = 0; p + 4 <= end && guard < 256; guard++) {
      const code = v.getUint16(p, le);
      const olen = v.getUint16(p + 2, le);
      if (code === 0 || p + 4 + olen > end) break;
      if (code === OPT_IF_TSRESOL && olen >= 1) {
        const r = this.buf[p + 4];
        const n = r & 0x7f;
        // High bit clear: 10^-n; set: 2^-n. Beyond 1 ns the fraction is dropped.
        iface.unitsPerSec = r & 0x80 ? 2 ** Math.min(n, 63) : 10 ** Math.min(n, 18);
      } else if (code === OPT_IF_TSOFFSET && olen >= 8) {
        // A signed 64-bit count of seconds in the section's byte order.
        iface.offsetSec = le
          ? v.getInt32(p + 8, true) * 4294967296 + v.getUint32(p + 4, true)
          : v.getInt32(p + 4, false) * 4294967296 + v.getUint32(p + 8, false);
      }
      p += 4 + ((olen + 3) & ~3);
    }
  }

  /** Splits a 64-bit timestamp (hi, lo) in `unitsPerSec` units into exact seconds and nanoseconds. */
  private setTime(iface: Iface, hi: number, lo: number): void {
    const ups = iface.unitsPerSec;
    const rec = this.rec;
    if (ups === 1e6) {
      // The common case: microseconds. hi * 2^32 + lo fits a double exactly below 2^53.
      const t = hi * 4294967296 + lo;
      const sec = Math.floor(t / 1e6);
      rec.tsSec = sec + iface.offsetSec;
      rec.tsNsec = (t - sec * 1e6) * 1000;
      return;
    }
    // Exact for any resolution: 2^32 = a*ups + b, so t = ups*(hi*a) + hi*b + lo, with hi*b
    // split into 16-bit halves so every product stays below 2^53.
    const a = Math.floor(4294967296 / ups);
    const b = 4294967296 - a * ups;
    const h1 = Math.floor(hi / 65536);
    const h0 = hi - h1 * 65536;
    const c = Math.floor((65536 * b) / ups);
    const d = 65536 * b - c * ups;
    const rem = h1 * d + h0 * b + lo;
    const extra = Math.floor(rem / ups);
    const frac = rem - extra * ups;
    rec.tsSec = hi * a + h1 * c + extra + iface.offsetSec;
    rec.tsNsec = ups >= 1e9 ? Math.floor(frac / (ups / 1e9)) : Math.floor((frac * 1e9) / ups);
  }
}

/**
 * Other capture formats and compressions, by their first bytes: a message that says what the
 * file is and how to read it, or null.
 */
export function otherFormat(b: Uint8Array, off: number, len: number): string | null {
  const at = (i: number, ...bytes: number[]): boolean => len >= i + bytes.length && bytes.every((x, k) => b[off + i + k] === x);
  const text = (i: number, t: string): boolean => at(i, ...Array.from(t, (c) => c.charCodeAt(0)));
  const convert = 'convert it with Wireshark\'s editcap (`editcap -F pcapng FILE FILE.pcapng`) and analyse that';
  if (text(0, 'GMBU')) return `a Microsoft Network Monitor 2.x capture, not pcap or pcapng: ${convert}`;
  if (text(0, 'RTSS')) return `a Microsoft Network Monitor 1.x capture, not pcap or pcapng: ${convert}`;
  if (text(0, 'snoop\0\0\0')) return `a Solaris snoop capture, not pcap or pcapng: ${convert}`;
  if (text(0, 'XCP\0')) return `a NetXRay / Windows Sniffer capture, not pcap or pcapng: ${convert}`;
  if (text(0, 'TRSNIFF data')) return `a Sniffer (DOS) capture, not pcap or pcapng: ${convert}`;
  if (at(0, 0x28, 0xb5, 0x2f, 0xfd)) return 'compressed with zstd: decompress it first, or pipe it (`zstd -dc FILE | wardline analyze -`)';
  if (at(0, 0x04, 0x22, 0x4d, 0x18)) return 'compressed with LZ4: decompress it first, or pipe it (`lz4 -dc FILE | wardline analyze -`)';
  if (at(0, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'compressed with xz: decompress it first, or pipe it (`xz -dc FILE | wardline analyze -`)';
  if (text(0, 'BZh')) return 'compressed with bzip2: decompress it first, or pipe it (`bzip2 -dc FILE | wardline analyze -`)';
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive: extract the capture from it first';
  return null;
}
