// Streaming capture reader for pcap (libpcap file format, both byte orders, micro- and
// nanosecond magic) and pcapng (draft-ietf-opsawg-pcapng: SHB, IDB, EPB, SPB, OPB; several
// sections and interfaces; if_tsresol and if_tsoffset; unknown blocks skipped), Solaris snoop
// (RFC 1761) and Microsoft Network Monitor 1.x/2.x (the format of NetMon 3.4's .cap files).
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

export type CaptureFormat = 'pcap' | 'pcapng' | 'snoop' | 'netmon';

/** Solaris snoop (RFC 1761): "snoop\0\0\0", then a 16-byte file header, then 24-byte big-endian record headers. */
const SNOOP_MAGIC_HI = 0x736e6f6f;
const SNOOP_MAGIC_LO = 0x70000000;
const SNOOP_HDR_LEN = 16;
const SNOOP_REC_HDR = 24;
/**
 * Microsoft Network Monitor 1.x and 2.x: a 128-byte little-endian header (signature, BCD version,
 * media type, the start as a SYSTEMTIME, then the offsets of the frame table and the other
 * sections), the frames in order, then the frame table (one 32-bit offset per frame).
 */
const NETMON_HDR_LEN = 128;
/** "GMBU" (2.x) and "RTSS" (1.x), read big-endian. */
const NETMON2_MAGIC = 0x474d4255;
const NETMON1_MAGIC = 0x52545353;
/** Frame headers: 1.x a millisecond offset and 16-bit lengths; 2.x a microsecond offset and 32-bit ones. */
const NETMON1_FRAME_HDR = 8;
const NETMON2_FRAME_HDR = 16;
/** Bytes after each frame's data by 2.x minor version: 2.1 its media type; 2.2 + process index; 2.3 + UTC time and zone. */
const NETMON2_TRAILER = [0, 2, 6, 15];
/** 2.x media types of metadata rather than packets (NetEvent, network info, payload header, DNS cache, filter). */
const NETMON_META_MIN = 0xffe0;
/** 2.x media types 0xE000 + n carry frames of pcap link type n. */
const NETMON_PCAP_BASE = 0xe000;
/** Network Monitor's 802.11 metadata header: version (1 byte), then its own length (16-bit). */
const NETMON_WLAN_HDR_MIN = 3;
/** Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_EPOCH_SEC = 11644473600;
/** A capture's own link type numbers that no pcap link type maps to: reported as unsupported. */
const FOREIGN_LINK = 0x10000;

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
    // The record still holds the last packet's time, whatever the format.
    if (this.packets > 0) this.lastTs = this.rec.tsSec + this.rec.tsNsec / 1e9;
    return res;
  }

  private async readAny(sink: PacketSink): Promise<ReadResult> {
    if (!(await this.fill(4))) {
      throw new CaptureError('not_a_capture', `${this.name} is not a capture wardline reads: pcap, pcapng, Network Monitor or snoop (${this.end - this.start} bytes)`);
    }
    const m = this.view.getUint32(this.start, false);
    const ml = this.view.getUint32(this.start, true);
    if (m === PCAPNG_SHB) return this.readPcapng(sink);
    if (m === SNOOP_MAGIC_HI && (await this.fill(8)) && this.view.getUint32(this.start + 4, false) === SNOOP_MAGIC_LO) return this.readSnoop(sink);
    if (m === NETMON2_MAGIC || m === NETMON1_MAGIC) return this.readNetmon(sink, m === NETMON2_MAGIC ? 2 : 1);
    if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || ml === PCAP_MAGIC_US || ml === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED || ml === PCAP_MAGIC_MODIFIED) {
      return this.readPcap(sink);
    }
    const other = otherFormat(this.buf, this.start, this.end - this.start);
    if (other !== null) throw new CaptureError('not_a_capture', `${this.name} is ${other}`);
    throw new CaptureError('not_a_capture', `${this.name} is not a capture wardline reads: pcap, pcapng, Network Monitor or snoop (magic 0x${m.toString(16).padStart(8, '0')})`);
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
    const done = (err: CaptureError | null): ReadResult => this.result('pcap', err);
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
      }
      this.start = s;
      const next = await this.nextRecord(rh, () => rh + this.view.getUint32(this.start + 8, le));
      if (next === 'end') return done(null);
      if (next === 'partial') return done(this.partial('record'));
    }
  }

  /**
   * After a buffer's complete records: reads on until the next record is buffered — its header
   * of `hdr` bytes, then the whole record, whose length `recordLen` reads from the header at
   * `start`. 'end' at a clean end of input, 'partial' when the input ends inside a record.
   */
  private async nextRecord(hdr: number, recordLen: () => number): Promise<'ok' | 'end' | 'partial'> {
    if (this.end - this.start === 0 && this.eof) return 'end';
    const need = this.end - this.start < hdr ? hdr : recordLen();
    if (!(await this.fill(need))) return this.end - this.start === 0 ? 'end' : 'partial';
    this.rec.buf = this.buf;
    this.rec.view = this.view;
    return 'ok';
  }

  private partial(what: string): CaptureError {
    return this.truncated(`(${this.end - this.start} bytes of a partial ${what})`);
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

  /**
   * Solaris snoop (RFC 1761, version 2): big-endian record headers of the original and included
   * lengths, the record's length (header, data, padding to 4 bytes), cumulative drops and a
   * microsecond time.
   */
  private async readSnoop(sink: PacketSink): Promise<ReadResult> {
    if (!(await this.fill(SNOOP_HDR_LEN))) throw new CaptureError('not_a_capture', `${this.name}: snoop file header is truncated`);
    const version = this.view.getUint32(this.start + 8, false);
    if (version !== 2) throw new CaptureError('not_a_capture', `${this.name} is a snoop capture of version ${version}; only version 2 (RFC 1761) is read`);
    const rec = this.rec;
    rec.linkType = snoopLinkType(this.view.getUint32(this.start + 12, false));
    rec.interfaceId = 0;
    this.linkTypes.add(rec.linkType);
    this.start += SNOOP_HDR_LEN;
    for (;;) {
      let s = this.start;
      const e = this.end;
      const view = this.view;
      while (e - s >= SNOOP_REC_HDR) {
        const caplen = view.getUint32(s + 4, false);
        const reclen = view.getUint32(s + 8, false);
        if (caplen > MAX_RECORD || reclen < SNOOP_REC_HDR + caplen || reclen > SNOOP_REC_HDR + caplen + 64) {
          this.start = s;
          return this.result('snoop', this.corrupt(`record of ${caplen} bytes in ${reclen} at byte ${this.totalRead - (e - s)}`));
        }
        if (e - s < reclen) break;
        rec.wirelen = view.getUint32(s, false);
        rec.caplen = caplen;
        rec.tsSec = view.getUint32(s + 16, false);
        rec.tsNsec = Math.min(view.getUint32(s + 20, false), 999999) * 1000;
        rec.off = s + SNOOP_REC_HDR;
        rec.packetNo = ++this.packets;
        this.bytes += caplen;
        if (this.packets === 1) this.firstTs = rec.tsSec + rec.tsNsec / 1e9;
        sink(rec);
        s += reclen;
      }
      this.start = s;
      const next = await this.nextRecord(SNOOP_REC_HDR, () => this.view.getUint32(this.start + 8, false));
      if (next === 'end') return this.result('snoop', null);
      if (next === 'partial') return this.result('snoop', this.partial('record'));
    }
  }

  /**
   * Microsoft Network Monitor 1.x and 2.x, read in file order: the frames follow the header up
   * to the first section (the frame table, written when the capture closes, or user data,
   * comments, process and conversation tables). The frame table is then read and checked
   * against the frames found (count and offsets), so frames stored out of order are reported
   * rather than misread. Times are the header's start (a SYSTEMTIME, taken as UTC so the result
   * does not depend on the machine's zone) plus each frame's offset, or from 2.3 on the frame's
   * own UTC FILETIME. Metadata frames (NetEvent, network and DNS-cache records) keep their
   * numbers, as Wireshark's, but are not packets and are not passed on.
   */
  private async readNetmon(sink: PacketSink, major: 1 | 2): Promise<ReadResult> {
    const label = `Network Monitor ${major}.x`;
    if (!(await this.fill(NETMON_HDR_LEN))) throw new CaptureError('not_a_capture', `${this.name}: ${label} file header is truncated`);
    const v = this.view;
    const h = this.start;
    const bcdMinor = this.buf[h + 4];
    const minor = (bcdMinor >> 4) * 10 + (bcdMinor & 15);
    if ((this.buf[h + 5] & 15) !== major) throw new CaptureError('not_a_capture', `${this.name}: ${label} header says version ${this.buf[h + 5].toString(16)}.${bcdMinor.toString(16)}`);
    const fileMedia = v.getUint16(h + 6, true);
    const startMs = Date.UTC(v.getUint16(h + 8, true), v.getUint16(h + 10, true) - 1, v.getUint16(h + 14, true), v.getUint16(h + 16, true), v.getUint16(h + 18, true), v.getUint16(h + 20, true), v.getUint16(h + 22, true));
    const start = Number.isFinite(startMs) && startMs >= 0 ? startMs : 0;
    const startSec = Math.floor(start / 1000);
    const startUs = (start - startSec * 1000) * 1000;
    const tableOff = v.getUint32(h + 24, true);
    const tableLen = v.getUint32(h + 28, true);
    // Where the frames end: the nearest section after the header ([offset, length] pairs;
    // the process table's second field is a count).
    let framesEnd = Number.POSITIVE_INFINITY;
    const sections = major === 2 ? [24, 32, 40, 48, 56, 64] : [24, 32];
    for (const at of sections) {
      const off = v.getUint32(h + at, true);
      if (v.getUint32(h + at + 4, true) > 0 && off >= NETMON_HDR_LEN) framesEnd = Math.min(framesEnd, off);
    }
    const fh = major === 2 ? NETMON2_FRAME_HDR : NETMON1_FRAME_HDR;
    const trailer = major === 2 ? NETMON2_TRAILER[Math.min(minor, 3)] : 0;
    const rec = this.rec;
    rec.interfaceId = 0;
    this.start += NETMON_HDR_LEN;
    let lastMedia = -1;
    let lastLink = 0;
    /** Frames passed on or skipped, and the sum of their offsets (mod 2^32), to check against the table. */
    let offsetSum = 0;
    const done = (err: CaptureError | null): ReadResult => this.result('netmon', err);
    for (;;) {
      let s = this.start;
      const e = this.end;
      const view = this.view;
      while (e - s >= fh) {
        const abs = this.totalRead - (e - s);
        if (abs >= framesEnd) break;
        const caplen = major === 2 ? view.getUint32(s + 12, true) : view.getUint16(s + 6, true);
        const reclen = fh + caplen + trailer;
        if (caplen > MAX_RECORD || abs + reclen > framesEnd) {
          this.start = s;
          return done(this.corrupt(`frame of ${caplen} bytes at byte ${abs}${abs + reclen > framesEnd ? ' runs into the frame table' : ''}`));
        }
        if (e - s < reclen) break;
        const media = trailer >= 2 ? view.getUint16(s + fh + caplen, true) : fileMedia;
        rec.packetNo = ++this.packets;
        offsetSum = (offsetSum + abs) >>> 0;
        if (major === 2) {
          const us = view.getUint32(s + 4, true) * 4294967296 + view.getUint32(s, true) + startUs;
          const sec = Math.floor(us / 1e6);
          rec.tsSec = startSec + sec;
          rec.tsNsec = (us - sec * 1e6) * 1000;
          rec.wirelen = view.getUint32(s + 8, true);
          const t = s + fh + caplen + 6;
          if (trailer >= 15 && (view.getUint32(t, true) !== 0 || view.getUint32(t + 4, true) !== 0)) this.setTime(FILETIME_IFACE, view.getUint32(t + 4, true), view.getUint32(t, true));
        } else {
          const ms = view.getUint32(s, true) + startUs / 1000;
          const sec = Math.floor(ms / 1000);
          rec.tsSec = startSec + sec;
          rec.tsNsec = (ms - sec * 1000) * 1e6;
          rec.wirelen = view.getUint16(s + 4, true);
        }
        if (media !== lastMedia) {
          lastMedia = media;
          lastLink = netmonLinkType(media);
          if (lastLink >= 0) this.linkTypes.add(lastLink);
        }
        rec.linkType = lastLink;
        rec.off = s + fh;
        rec.caplen = caplen;
        if (lastLink === 105) {
          // Network Monitor's 802.11 metadata header (version, its length, radio fields) before the frame.
          const hl = caplen >= NETMON_WLAN_HDR_MIN ? view.getUint16(s + fh + 1, true) : 0;
          if (hl < NETMON_WLAN_HDR_MIN || hl > caplen) rec.linkType = FOREIGN_LINK + media;
          else {
            rec.off += hl;
            rec.caplen -= hl;
            rec.wirelen = Math.max(0, rec.wirelen - hl);
          }
        }
        if (this.packets === 1) this.firstTs = rec.tsSec + rec.tsNsec / 1e9;
        if (lastLink >= 0) {
          this.bytes += rec.caplen;
          sink(rec);
        }
        s += reclen;
      }
      this.start = s;
      if (this.totalRead - (this.end - s) >= framesEnd) return done(await this.netmonTable(tableOff, tableLen, framesEnd, offsetSum));
      const next = await this.nextRecord(fh, () => fh + (major === 2 ? this.view.getUint32(this.start + 12, true) : this.view.getUint16(this.start + 6, true)) + trailer);
      if (next === 'end') return done(this.truncated(tableLen === 0 ? 'before its frame table (the capture was not closed)' : 'before its frame table'));
      if (next === 'partial') return done(this.partial('frame'));
    }
  }

  /** The frame table, when it is what follows the frames: checked against the frames read in order. */
  private async netmonTable(tableOff: number, tableLen: number, framesEnd: number, offsetSum: number): Promise<CaptureError | null> {
    if (tableLen === 0 || tableOff !== framesEnd) return null;
    if (tableLen % 4 !== 0 || tableLen > MAX_RECORD) return this.corrupt(`frame table of ${tableLen} bytes`);
    if (!(await this.fill(tableLen))) return this.truncated('inside its frame table');
    const n = tableLen / 4;
    let sum = 0;
    for (let i = 0; i < n; i++) sum = (sum + this.view.getUint32(this.start + 4 * i, true)) >>> 0;
    if (n !== this.packets || sum !== offsetSum) {
      return this.corrupt(`its frame table lists ${n.toLocaleString('en-US')} frames${n === this.packets ? ' at other offsets than' : ', not the ' + this.packets.toLocaleString('en-US')} found in file order`);
    }
    this.start += tableLen;
    return null;
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

/** Network Monitor 2.3's per-frame UTC time: a FILETIME, 100 ns units since 1601. */
const FILETIME_IFACE: Iface = { linkType: 0, unitsPerSec: 1e7, offsetSec: -FILETIME_EPOCH_SEC };

/** The pcap link type of a snoop datalink type (Ethernet, and IEEE 802.3, its same framing on the wire). */
function snoopLinkType(dl: number): number {
  switch (dl) {
    case 0:
    case 4:
      return 1;
    case 2:
      return 6;
    case 8:
      return 10;
    default:
      return FOREIGN_LINK + dl;
  }
}

/** The pcap link type of a Network Monitor media type, or -1 for metadata frames (no packet). */
function netmonLinkType(media: number): number {
  if (media >= NETMON_META_MIN) return -1;
  if (media >= NETMON_PCAP_BASE) return media - NETMON_PCAP_BASE;
  switch (media) {
    case 1:
      return 1;
    case 2:
      return 6;
    case 3:
      return 10;
    case 6:
      // 802.11 behind Network Monitor's own metadata header, which the reader strips.
      return 105;
    case 8:
    case 9:
      // Wireless WAN and raw IP: IP packets with no link header.
      return 101;
    default:
      return FOREIGN_LINK + media;
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
  if (text(0, 'XCP\0')) return `a NetXRay / Windows Sniffer capture, a format wardline does not read: ${convert}`;
  if (text(0, 'TRSNIFF data')) return `a Sniffer (DOS) capture, a format wardline does not read: ${convert}`;
  if (at(0, 0x28, 0xb5, 0x2f, 0xfd)) return 'compressed with zstd: decompress it first, or pipe it (`zstd -dc FILE | wardline analyze -`)';
  if (at(0, 0x04, 0x22, 0x4d, 0x18)) return 'compressed with LZ4: decompress it first, or pipe it (`lz4 -dc FILE | wardline analyze -`)';
  if (at(0, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'compressed with xz: decompress it first, or pipe it (`xz -dc FILE | wardline analyze -`)';
  if (text(0, 'BZh')) return 'compressed with bzip2: decompress it first, or pipe it (`bzip2 -dc FILE | wardline analyze -`)';
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive: extract the capture from it first';
  return null;
}
