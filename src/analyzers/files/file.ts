// One file going by in a connection's payload (Zeek's file analysis, base/frameworks/files):
// its bytes are hashed as they pass (MD5, SHA-1 and SHA-256, what Zeek's hash-all-files policy
// logs and what threat-intelligence feeds index), its first bytes kept to name its media type,
// and when it ends one files.file event says what it was. A file with bytes missing gets no
// hashes (a digest of part of a file matches nothing and misleads), as Zeek's hash analyzers
// give up on a gap. A DICOM Part 10 file keeps up to 64 KiB, enough for its meta header and the
// patient module, which is checked for patient tags the way DICOM network transfers are.
import { createHash, type Hash } from 'node:crypto';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { AnalyzerContext } from '../types.js';
import { connUid, derivedUid } from '../../flow/uid.js';
import { origHost, respHost } from '../connid.js';
import { encodingOf, LONG_VRS, scanDataSet } from '../dicom/parse.js';
import { BodyBytes } from '../http/bodytap.js';
import { SNIFF_BYTES, sniffMime } from './sniff.js';
import type { DicomPolyglotEvent, FileEvent } from './events.js';

/** Bytes of a DICOM file kept for its patient-tag check. */
const DICOM_KEEP = 64 * 1024;
const DICM_AT = 128;
const META_AT = 132;
const HASHES = ['MD5', 'SHA1', 'SHA256'];
const MAX_FILENAME = 256;
/** An encoded (gzip, deflate) HTTP body is kept up to this many bytes to be decoded when it ends. */
const MAX_ENCODED = 8 * 1024 * 1024;
/** …and decoded to at most this many (a decompression bomb stops there, unhashed). */
const MAX_DECODED = 64 * 1024 * 1024;
/**
 * Encoded bodies kept at once, all connections together: past it a body is counted as sent,
 * unhashed, so many large compressed downloads in flight cannot exhaust memory.
 */
const ENCODED_BUDGET = 256 * 1024 * 1024;
let encodedInUse = 0;

export interface FileOpen {
  /** Zeek's source name: HTTP, FTP_DATA, SMB, TFTP. */
  source: string;
  /** The originator sends the file (an upload, an HTTP request body, an SMB write). */
  isOrig: boolean;
  depth?: number;
  filename?: string;
  /** The size the protocol announced (Content-Length, an SMB file's end of file). */
  total?: number;
  /**
   * HTTP Content-Encoding: the file is what the body decodes to, as Zeek's HTTP analyzer
   * decompresses before its file analysis (the hashes then match the resource's own).
   */
  encoding?: 'gzip' | 'deflate';
  /** False where the carrying protocol already reports the patient data (DICOMweb). */
  checkPatient?: boolean;
  /** SMB: the share the file is on (\\host\share). */
  share?: string;
  /** HTTP: the request's target (the file's name when no Content-Disposition gives one). */
  url?: string;
}

export class FileTap {
  readonly fuid: string;
  seen = 0;
  missing = 0;
  private md5: Hash | null = null;
  private sha1: Hash | null = null;
  private sha256: Hash | null = null;
  private hashing = true;
  /** The first bytes, for the media type (and a DICOM file's patient module). */
  private readonly bof = new BodyBytes(SNIFF_BYTES);
  private tsSec = 0;
  private tsNsec = 0;
  private packet = 0;
  private lastSec = 0;
  private lastNsec = 0;
  private closed = false;
  private encoded: BodyBytes | null = null;
  private encodedOverflow = false;

  /** `index`: the file's number within its connection (fuids derive from the connection's uid). */
  constructor(ctx: AnalyzerContext, private readonly o: FileOpen, index: number) {
    this.fuid = derivedUid('F', connUid(ctx.conn), index);
  }

  add(ctx: AnalyzerContext, buf: Uint8Array, off: number, n: number): void {
    if (n <= 0 || this.closed) return;
    const m = ctx.packet;
    // Packet numbers count from 1: 0 is "no byte yet" (an encoded body's seen stays 0 until decoded).
    if (this.packet === 0) {
      this.tsSec = m.tsSec;
      this.tsNsec = m.tsNsec;
      this.packet = m.packetNo;
    }
    this.lastSec = m.tsSec;
    this.lastNsec = m.tsNsec;
    if (this.o.encoding !== undefined) this.keepEncoded(buf, off, n);
    else this.take(buf, off, n);
  }

  private take(buf: Uint8Array, off: number, n: number): void {
    if (this.hashing) {
      if (this.md5 === null) {
        this.md5 = createHash('md5');
        this.sha1 = createHash('sha1');
        this.sha256 = createHash('sha256');
      }
      // The one view per delivered segment the hash API needs; files only, never per packet of other traffic.
      const v = buf.subarray(off, off + n);
      this.md5.update(v);
      this.sha1!.update(v);
      this.sha256!.update(v);
    }
    if (this.seen === this.bof.len && this.missing === 0) this.keep(buf, off, n);
    this.seen += n;
  }

  /** `n` bytes of the file were lost (a TCP gap, a range not read over SMB). */
  gap(n: number): void {
    if (n <= 0 || this.closed) return;
    this.missing += n;
    this.hashing = false;
    // An encoded body with a hole cannot be decoded past it: what came is counted as it was sent.
    if (this.o.encoding !== undefined) this.encodedOverflow = true;
  }

  private keepEncoded(buf: Uint8Array, off: number, n: number): void {
    const kept = this.encoded?.len ?? 0;
    if (this.encodedOverflow || kept + n > MAX_ENCODED || encodedInUse + n > ENCODED_BUDGET) {
      this.encodedOverflow = true;
      this.seen += n;
      this.hashing = false;
      return;
    }
    this.encoded ??= new BodyBytes(MAX_ENCODED);
    this.encoded.add(buf, off, n);
    encodedInUse += n;
  }

  /** The body ended: decode it and analyse what it decodes to; undecodable, it is counted as sent, unhashed. */
  private decode(): void {
    const enc = this.encoded;
    this.encoded = null;
    if (enc === null) return;
    encodedInUse -= enc.len;
    const raw = enc.buf.subarray(0, enc.len);
    let out: Uint8Array | null = null;
    const opts = { maxOutputLength: MAX_DECODED };
    try {
      if (this.o.encoding === 'gzip') out = gunzipSync(raw, opts);
      else {
        // "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2); some servers send raw deflate.
        try {
          out = inflateSync(raw, opts);
        } catch {
          out = inflateRawSync(raw, opts);
        }
      }
    } catch {
      out = null;
    }
    if (out === null || this.encodedOverflow) {
      this.seen += enc.len;
      this.hashing = false;
      return;
    }
    this.take(out, 0, out.length);
  }

  private keep(buf: Uint8Array, off: number, n: number): void {
    const bof = this.bof;
    const before = bof.len;
    bof.add(buf, off, n);
    // "DICM" after the preamble: keep on to the patient module.
    if (bof.max === SNIFF_BYTES && bof.len >= META_AT && isDicm(bof.buf, 0)) {
      bof.max = DICOM_KEEP;
      const taken = bof.len - before;
      bof.add(buf, off + taken, n - taken);
    }
  }

  /** The media type the bytes kept so far say (the carrying protocol may log it before the file ends). */
  mimeNow(): string | null {
    return sniffMime(this.bof.buf, this.bof.len);
  }

  /**
   * The file ended (its message, transfer or connection): emits its files.file event once.
   * `cutShort`: the protocol knows the file did not end (a body the connection's end cut off):
   * like a file with a hole, no hashes.
   */
  close(ctx: AnalyzerContext, cutShort = false): FileEvent | null {
    if (this.closed) return null;
    if (cutShort) this.hashing = false;
    if (this.o.encoding !== undefined) this.decode();
    this.closed = true;
    if (this.seen === 0 && this.missing === 0) return null;
    const c = ctx.conn;
    const orig = origHost(c);
    const resp = respHost(c);
    const ev: FileEvent = {
      type: 'files.file',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      packet: this.packet,
      fuid: this.fuid,
      source: this.o.source,
      depth: this.o.depth ?? 0,
      analyzers: [],
      duration: Math.max(0, this.lastSec - this.tsSec + (this.lastNsec - this.tsNsec) / 1e9),
      is_orig: this.o.isOrig,
      seen_bytes: this.seen,
      missing_bytes: this.missing,
      overflow_bytes: 0,
      timedout: false,
      tx_host: this.o.isOrig ? orig : resp,
      rx_host: this.o.isOrig ? resp : orig,
    };
    const mime = sniffMime(this.bof.buf, this.bof.len);
    if (mime !== null) ev.mime_type = mime;
    if (this.o.filename !== undefined && this.o.filename !== '') ev.filename = this.o.filename.slice(0, MAX_FILENAME);
    if (this.o.share !== undefined) ev.share = this.o.share;
    if (this.o.url !== undefined) ev.url = this.o.url;
    if (this.o.total !== undefined && this.o.encoding === undefined) ev.total_bytes = this.o.total;
    // Fewer bytes than announced: the capture or the connection lost the rest.
    if (this.o.total !== undefined && this.o.encoding === undefined && this.seen + this.missing < this.o.total) this.hashing = false;
    if (this.hashing && this.md5 !== null) {
      ev.analyzers = HASHES;
      ev.md5 = this.md5.digest('hex');
      ev.sha1 = this.sha1!.digest('hex');
      ev.sha256 = this.sha256!.digest('hex');
    }
    ctx.emit(ev);
    if (mime === 'application/dicom') {
      if (this.o.checkPatient !== false) this.dicomPatient(ctx, ev);
      const format = executablePreamble(this.bof.buf, this.bof.len);
      if (format !== null) {
        const p: DicomPolyglotEvent = { type: 'dicom.polyglot', tsSec: ev.tsSec, tsNsec: ev.tsNsec, sender: ev.tx_host, receiver: ev.rx_host, is_orig: ev.is_orig, format, source: ev.source, fuid: ev.fuid, packet: ev.packet };
        if (ev.filename !== undefined) p.filename = ev.filename;
        if (ev.url !== undefined) p.url = ev.url;
        if (ev.sha256 !== undefined) p.sha256 = ev.sha256;
        ctx.emit(p);
      }
    }
    return ev;
  }

  /** A DICOM file with patient tags crossed the wire as a file (an SMB share, FTP, HTTP): patient data in clear. */
  private dicomPatient(ctx: AnalyzerContext, f: FileEvent): void {
    const tags = dicomFilePatientTags(this.bof.buf, this.bof.len);
    if (tags === null || tags.length === 0) return;
    ctx.emit({ type: 'dicom.phi', sender: f.tx_host, is_orig: f.is_orig, tags, command: `${f.source} file`, fuid: f.fuid, packet: f.packet });
  }
}

/**
 * An executable's header in a DICOM file's 128-byte preamble, which PS3.10 §7.1 leaves to
 * "application profiles" (zeros, or a TIFF header for dual-format files) and no reader checks:
 * a file that is a valid image to the PACS and a program to Windows (CVE-2019-11687, the PE/DICOM
 * polyglots Cylera published in 2019). `Windows PE` when e_lfanew (0x3c) points to the PE
 * signature among the bytes kept; the DOS header alone is still an executable's.
 */
export function executablePreamble(b: Uint8Array, len: number): string | null {
  if (len < META_AT) return null;
  if (b[0] === 0x4d && b[1] === 0x5a) {
    const lfanew = b[0x3c] | (b[0x3d] << 8) | (b[0x3e] << 16) | (b[0x3f] * 0x1000000);
    return lfanew >= 0x40 && lfanew + 4 <= len && b[lfanew] === 0x50 && b[lfanew + 1] === 0x45 && b[lfanew + 2] === 0 && b[lfanew + 3] === 0 ? 'Windows PE' : 'DOS MZ';
  }
  if (b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) return 'ELF';
  // Mach-O, 32 and 64 bits, either byte order.
  if ((b[0] === 0xfe && b[1] === 0xed && b[2] === 0xfa && (b[3] === 0xce || b[3] === 0xcf)) || ((b[0] === 0xce || b[0] === 0xcf) && b[1] === 0xfa && b[2] === 0xed && b[3] === 0xfe)) return 'Mach-O';
  if (b[0] === 0x23 && b[1] === 0x21) return 'script (#!)';
  return null;
}

function isDicm(b: Uint8Array, off: number): boolean {
  return b[off + DICM_AT] === 0x44 && b[off + DICM_AT + 1] === 0x49 && b[off + DICM_AT + 2] === 0x43 && b[off + DICM_AT + 3] === 0x4d;
}

const TAG_TRANSFER_SYNTAX = 0x0010;

/**
 * The patient (group 0010) tags with a value in a DICOM Part 10 file's first bytes: the file meta
 * group (always Explicit VR Little Endian, PS3.10 §7.1) names the data set's transfer syntax,
 * then the data set is walked without reading values. Null when it is no readable Part 10 file
 * (or its data set is deflated).
 */
export function dicomFilePatientTags(b: Uint8Array, len: number): string[] | null {
  if (len < META_AT || !isDicm(b, 0)) return null;
  let p = META_AT;
  let ts: string | undefined;
  while (p + 8 <= len) {
    const group = b[p] | (b[p + 1] << 8);
    if (group !== 0x0002) break;
    const elem = b[p + 2] | (b[p + 3] << 8);
    const vr = String.fromCharCode(b[p + 4], b[p + 5]);
    let vl: number;
    let v: number;
    if (LONG_VRS.has(vr)) {
      if (p + 12 > len) return null;
      vl = (b[p + 8] | (b[p + 9] << 8) | (b[p + 10] << 16)) + b[p + 11] * 0x1000000;
      v = p + 12;
    } else {
      vl = b[p + 6] | (b[p + 7] << 8);
      v = p + 8;
    }
    if (v + vl > len) return null;
    if (elem === TAG_TRANSFER_SYNTAX) {
      let s = '';
      for (let i = v; i < v + vl && i < v + 64; i++) if (b[i] !== 0 && b[i] !== 0x20) s += String.fromCharCode(b[i]);
      ts = s;
    }
    p = v + vl;
  }
  const enc = encodingOf(ts);
  if (enc === null || p >= len) return null;
  return scanDataSet(b, p, len - p, enc).patientTags;
}
