// Per-connection SMB state: NBSS framing of both directions (bounded), request/response pairing
// by MID (SMB1) or MessageId (SMB2), trees and open files for smb_mapping/smb_files, and the
// connection's NTLM attempt fed from session setup security blobs, and DCE/RPC over named pipes
// (MS-RPCE §2.1.1.2): what is written to, read from or transceived on a pipe is framed per pipe
// and fed to the connection's DceRpcSession (dce_rpc.log). What is read from or written to a
// file is file analysis (files.log): each open file's reads and its writes are one file each,
// put in order by offset (files/ranged.ts). A READ response or WRITE request too large to keep
// is streamed: its header is kept, its data goes to the file as it arrives. All tables are bounded.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { NtlmSession, sideAddr } from '../ntlm/session.js';
import { probeAnswered, probeSent, type ProbeVerdict } from '../exploit-probe.js';
import { REDACTED, secretDigest } from '../secret.js';
import {
  NBSS_HEADER_LEN,
  NBSS_SESSION_MESSAGE,
  NBSS_SESSION_REQUEST,
  SMB1_MAGIC,
  SMB2_COMPRESSION_MAGIC,
  SMB2_MAGIC,
  SMB2_TRANSFORM_MAGIC,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  findNbssStart,
  nbssLength,
  parseSessionRequest,
  u16,
  u32,
  type FileTimes,
} from './parse.js';
import * as s1 from './smb1.js';
import * as s2 from './smb2.js';
import type { SmbExploitEvent, SmbFileAction } from './events.js';
import * as pipe from './pipe.js';
import { DceRpcSession } from '../dcerpc/session.js';
import { RangedFile } from '../files/ranged.js';
import { DceRpcStream } from '../dcerpc/stream.js';
import { PDU_BIND, PDU_BIND_ACK, PDU_REQUEST, parseDceRpcHeader } from '../dcerpc/parse.js';
import { evictOldest } from '../../util/evict.js';

/** Bytes of one NBSS message kept: every header and setup message fits; file data is streamed. */
const MAX_MESSAGE_KEEP = 64 * 1024;
/**
 * Bytes of a split message looked at to decide whether to stream its data: an SMB2 WRITE
 * request's fixed part ends at 4 + 64 + 48, an SMB1 WRITE_ANDX's at 4 + 32 + 31.
 */
const STREAM_PEEK = 128;
/** Outstanding requests remembered per connection. */
const MAX_PENDING = 256;
const MAX_TREES = 256;
const MAX_FILES = 1024;
/** Named pipes carrying DCE/RPC followed per connection. */
const MAX_PIPES = 64;
/** Bytes of one DCE/RPC PDU kept on a pipe: headers and bind context lists fit; stubs are not needed. */
const MAX_PIPE_PDU = 8 * 1024;
const STATUS_BUFFER_OVERFLOW = 0x80000005;
/** Distinct smb_files lines remembered for de-duplication. */
const MAX_LOGGED_FILES = 4096;
/** Compounded SMB2 messages / SMB1 AndX commands followed in one message. */
const MAX_CHAIN = 16;
const SMB1_ANDX_COMMANDS = new Set([s1.SMB1_OPEN_ANDX, s1.SMB1_SESSION_SETUP_ANDX, s1.SMB1_TREE_CONNECT_ANDX, s1.SMB1_NT_CREATE_ANDX, s1.SMB1_READ_ANDX, s1.SMB1_WRITE_ANDX, s1.SMB1_LOGOFF_ANDX]);
/** SMB2 SecurityMode / SMB1 SecurityMode signing-required bits. */
const SMB2_SIGNING_REQUIRED = 0x02;
const SMB1_SIGNATURES_REQUIRED = 0x08;

/** A Map that forgets its oldest entry when full (telling `onEvict`). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(
    private readonly max: number,
    private readonly onEvict?: (v: V) => void,
  ) {
    super();
  }
  override set(k: K, v: V): this {
    if (!this.has(k) && this.size >= this.max) {
      const first = evictOldest(this);
      if (first !== undefined) this.onEvict?.(first[1]);
    }
    return super.set(k, v);
  }
}

interface Pending {
  command: number;
  tsSec: number;
  tsNsec: number;
  packet: number;
  path?: string;
  name?: string;
  tree?: number;
  /** The pipe a READ/TRANSACTION request addressed, for its response's data. */
  pipe?: string;
  /** The file (SMB1 FID, SMB2 FileId) and offset a READ request asked for. */
  fid?: number | string;
  offset?: number;
  /** A CREATE asked for the file to be deleted when closed (FILE_DELETE_ON_CLOSE). */
  deleteOnClose?: boolean;
  /** The request was an exploit's probe (the MS17-010 check, a DoublePulsar ping): its answer is the verdict. */
  probe?: 'ms17-010-check' | 'doublepulsar-ping';
  /** The request was a DoublePulsar command (exec, kill): its answer says whether the implant took it. */
  implant?: SmbExploitEvent;
}

/** An SMB1 transaction whose primary request did not carry all it announced: secondaries follow. */
interface OpenTrans {
  command: number;
  func: number;
  totalData: number;
  /** The FEA list's SizeOfListInBytes when the first setup word is TRANS2_OPEN2's, else -1. */
  feaSize: number;
  packet: number;
  tsSec: number;
  tsNsec: number;
}
/** Open SMB1 transactions kept per connection (MaxMpxCount is 50 on Windows servers). */
const MAX_OPEN_TRANS = 64;
const TRANS2_OPEN2 = 0x0000;

/** COMPRESSION_TRANSFORM_HEADER's Flags bit for chained payloads (MS-SMB2 §2.2.42). */
const SMB2_COMPRESSION_FLAG_CHAINED = 0x0001;
/** Far above any message SMB 3.1.1 carries (the negotiated maximums are 8 MiB): no decompression needs more. */
const MAX_ORIGINAL_SIZE = 0x10000000;

/**
 * An unchained compression transform whose OriginalCompressedSegmentSize plus Offset overflows 32
 * bits, whose Offset points past the message, or whose size no message has: the sums
 * Srv2DecompressData made before allocating (SMBGhost, CVE-2020-0796), as its proofs of concept
 * send them. `len` is the message's length.
 */
function smbGhost(buf: Uint8Array, m: number, len: number): boolean {
  if (len < 16 || m + 16 > buf.length) return false;
  const original = u32(buf, m + 4);
  if (original > MAX_ORIGINAL_SIZE) return true;
  const flags = buf[m + 10] | (buf[m + 11] << 8);
  if ((flags & SMB2_COMPRESSION_FLAG_CHAINED) !== 0) return false;
  const offset = u32(buf, m + 12);
  return original + offset > 0xffffffff || offset > len - 16;
}
/** An NT status as the events write it: 0x and eight hex digits. */
function statusText(status: number): string {
  return `0x${status.toString(16).padStart(8, '0')}`;
}
/** What an SMBv1 server without the MS17-010 update answers the check (nmap, Metasploit, WannaCry test for it). */
const STATUS_INSUFF_SERVER_RESOURCES = 0xc0000205;
/** DoublePulsar answers its ping with the request's multiplex id plus this (Countercept's detection script, nmap's). */
const DOUBLEPULSAR_MID_DELTA = 16;
/**
 * DoublePulsar's commands, carried in a TRANS2_SESSION_SETUP's Timeout: the sum of its four bytes,
 * modulo 256 (the implant's own encoding, as the published analyses and nmap's and Metasploit's
 * checks read it).
 */
const DOUBLEPULSAR_EXEC = 0xc8;
const DOUBLEPULSAR_KILL = 0x77;
/** What the implant's answer says by how far it raised the multiplex id. */
const DOUBLEPULSAR_STATUS: Readonly<Record<number, string>> = { 16: 'success', 32: 'invalid parameters', 48: 'allocation failure' };

interface Tree {
  path: string;
  shareType?: string;
}

interface OpenFile {
  name: string;
  path?: string;
  size: number;
  times: FileTimes;
  /** When the file was opened: Zeek stamps every line about the file with it. */
  tsSec: number;
  tsNsec: number;
  /** What was read from and written to it (files.log), made on the first byte of each. */
  rd: RangedFile | null;
  wr: RangedFile | null;
  /** The smb_files line with the file's fuid was logged. */
  rdLogged: boolean;
  wrLogged: boolean;
}

/** The file data of the message in progress in one direction, streamed as it arrives. */
interface Stream {
  file: RangedFile;
  at: number;
  left: number;
}

/** A file known only by its path (SMB1 DELETE and RENAME): no times. */
const NO_TIMES: FileTimes = { created: null, accessed: null, modified: null, changed: null };

/** An empty string is as good as absent. */
function clean(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** Zeek's SMB1 share types from the service string of a TREE_CONNECT_ANDX response. */
function smb1ShareType(service: string): string | undefined {
  if (service.startsWith('LPT')) return 'PRINT';
  if (service.startsWith('IPC')) return 'PIPE';
  if (service.startsWith('A:')) return 'DISK';
  if (service.startsWith('COMM')) return 'COMM';
  return undefined;
}

export class SmbAnalyzer implements FlowAnalyzer {
  readonly ntlm = new NtlmSession();
  private readonly framers: [PduFramer, PduFramer];
  private ctx: AnalyzerContext | null = null;
  private confirmed = false;
  private smb1Dialects: string[] = [];
  private smb1SecurityMode = -1;
  private readonly pending1 = new BoundedMap<number, Pending>(MAX_PENDING);
  private readonly pending2 = new BoundedMap<number, Pending>(MAX_PENDING);
  /** `uid:tid:pid:mid` → an SMB1 transaction awaiting its secondaries (MS-CIFS §3.3.5.2.4). */
  private readonly trans1 = new BoundedMap<string, OpenTrans>(MAX_OPEN_TRANS);
  private readonly trees1 = new BoundedMap<number, Tree>(MAX_TREES);
  private readonly trees2 = new BoundedMap<number, Tree>(MAX_TREES);
  private readonly files1 = new BoundedMap<number, OpenFile>(MAX_FILES, (f) => this.closeFile(f));
  private readonly files2 = new BoundedMap<string, OpenFile>(MAX_FILES, (f) => this.closeFile(f));
  /** Files (reads and writes) seen on the connection: the fuids' numbers. */
  private fileCount = 0;
  /** Per direction (originator first): where a streamed message's data goes, and whether the message being parsed had its data streamed. */
  private readonly streams: [Stream | null, Stream | null] = [null, null];
  private readonly streamed = [false, false];
  /** The message being parsed had its file data streamed (its data is not in it). */
  private curStreamed = false;
  private readonly loggedFiles = new Set<string>();
  readonly rpc = new DceRpcSession();
  private readonly pipes = new BoundedMap<string, DceRpcStream>(MAX_PIPES);
  /** Length of the SMB1 message being parsed (its commands' data offsets count from its start). */
  private msgLen = 0;
  private encryptedSeen = false;
  private compressedSeen = false;

  constructor() {
    const opts = { maxHeader: NBSS_HEADER_LEN + 4, maxKeep: MAX_MESSAGE_KEEP, lengthOf: nbssLength, findStart: findNbssStart, peek: STREAM_PEEK };
    const sink = (isOrig: boolean) => ({
      pdu: (b: Uint8Array, o: number, n: number, t: number, d: boolean) => this.message(isOrig, b, o, n, t, d),
      large: (b: Uint8Array, o: number, n: number, t: number) => this.large(isOrig, b, o, n, t),
      body: (b: Uint8Array, o: number, n: number) => this.body(isOrig, b, o, n),
      bodyGap: (n: number) => this.bodyGap(isOrig, n),
    });
    this.framers = [new PduFramer(opts, sink(true)), new PduFramer(opts, sink(false))];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.push(buf, off, len)) {
      ctx.weird('smb.bad_nbss_framing');
      ctx.violation?.();
      // Look for the next message start rather than giving up on the direction.
      f.broken = false;
      f.lost = true;
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    const f = this.framers[isOrig ? 0 : 1];
    f.gap(len);
    if (f.lost) {
      this.streams[isOrig ? 0 : 1] = null;
      this.streamed[isOrig ? 0 : 1] = false;
    }
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.ntlm.end(ctx);
    this.rpc.end(ctx);
    // Files still open when the connection ends: what was read or written so far.
    for (const f of this.files1.values()) this.closeFile(f);
    for (const f of this.files2.values()) this.closeFile(f);
    this.files1.clear();
    this.files2.clear();
  }

  // ---- File data (files.log) ----------------------------------------------------------------

  /** The file receiving what is read from (`write` false) or written to `f`, made on its first byte. */
  private fileData(ctx: AnalyzerContext, f: OpenFile, write: boolean, isOrig: boolean): RangedFile {
    let r = write ? f.wr : f.rd;
    if (r === null) {
      // A read's size is the file's end of file at the open; a write's is not known (as in Zeek).
      r = new RangedFile(ctx, { source: 'SMB', isOrig, filename: f.name, total: write ? undefined : f.size, share: f.path }, this.fileCount++);
      if (write) f.wr = r;
      else f.rd = r;
    }
    return r;
  }

  /** Zeek's smb_files line that carries the file's fuid, once per read and per write side. */
  private fileLogged(ctx: AnalyzerContext, f: OpenFile, write: boolean): void {
    const r = write ? f.wr : f.rd;
    if (r === null || (write ? f.wrLogged : f.rdLogged)) return;
    if (write) f.wrLogged = true;
    else f.rdLogged = true;
    this.fileEvent(ctx, f, write ? 'SMB::FILE_WRITE' : 'SMB::FILE_READ', null, r.fuid);
  }

  /** The data of a READ response or WRITE request kept whole (or cut: the rest is missing). */
  private feed(ctx: AnalyzerContext, r: RangedFile, at: number, buf: Uint8Array, d: pipe.PipeData | null): void {
    if (d === null || d.total === 0) return;
    r.data(ctx, at, buf, d.off, d.len);
    if (d.total > d.len) r.lost(ctx, at + d.len, d.total - d.len);
  }

  private closeFile(f: OpenFile): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    f.rd?.close(ctx);
    f.wr?.close(ctx);
    f.rd = null;
    f.wr = null;
  }

  /**
   * A split message's first bytes: a READ response or WRITE request of an open file (the only
   * command of its message) has its data streamed to the file; returns where the data starts in
   * the NBSS message, or -1.
   */
  private large(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number): number {
    const dir = isOrig ? 0 : 1;
    this.streams[dir] = null;
    this.streamed[dir] = false;
    const ctx = this.ctx;
    if (ctx === null || buf[off] !== NBSS_SESSION_MESSAGE || len <= NBSS_HEADER_LEN) return -1;
    const m = off + NBSS_HEADER_LEN;
    const avail = len - NBSS_HEADER_LEN;
    const mlen = total - NBSS_HEADER_LEN;
    let s: { file: RangedFile; at: number; d: pipe.PipeData } | null = null;
    if (buf[m] === SMB2_MAGIC) s = this.large2(ctx, isOrig, buf, m, avail, mlen);
    else if (buf[m] === SMB1_MAGIC) s = this.large1(ctx, isOrig, buf, m, avail, mlen);
    if (s === null || s.d.total === 0) return -1;
    const from = s.d.off - off;
    if (from < len - avail || from >= total || from > MAX_MESSAGE_KEEP) return -1;
    this.streams[dir] = { file: s.file, at: s.at, left: s.d.total };
    this.streamed[dir] = true;
    return from;
  }

  private large2(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: number, avail: number, mlen: number): { file: RangedFile; at: number; d: pipe.PipeData } | null {
    const h = s2.parseSmb2Header(buf, m, avail);
    if (h === null || h.nextCommand !== 0) return null;
    if (!h.response && h.command === s2.SMB2_WRITE) {
      const id = s2.requestFileId(buf, m, avail, h.command);
      const f = id === null ? undefined : this.files2.get(id);
      const at = s2.ioOffset(buf, m, avail);
      // The fixed part is in the peeked bytes; the data's length and offset count in the whole message.
      const d = avail >= s2.SMB2_HEADER_LEN + 48 ? pipe.smb2WriteData(buf, m, mlen) : null;
      if (f === undefined || at === null || d === null || this.maybePipe(`2:${id}`, this.trees2.get(h.treeId)?.shareType, buf, d.off, m + avail)) return null;
      return { file: this.fileData(ctx, f, true, isOrig), at, d };
    }
    if (h.response && h.command === s2.SMB2_READ && (h.status === STATUS_SUCCESS || h.status === STATUS_BUFFER_OVERFLOW)) {
      const p = this.pending2.get(h.messageId);
      if (p === undefined || p.command !== h.command || typeof p.fid !== 'string' || p.offset === undefined) return null;
      const f = this.files2.get(p.fid);
      const d = avail >= s2.SMB2_HEADER_LEN + 16 ? pipe.smb2ReadData(buf, m, mlen) : null;
      if (f === undefined || d === null) return null;
      return { file: this.fileData(ctx, f, false, isOrig), at: p.offset, d };
    }
    return null;
  }

  private large1(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: number, avail: number, mlen: number): { file: RangedFile; at: number; d: pipe.PipeData } | null {
    const h = s1.parseSmb1Header(buf, m, avail);
    if (h === null) return null;
    const b = s1.smb1Block(buf, m, avail, m + s1.SMB1_HEADER_LEN);
    if (b === null) return null;
    if (!h.reply && h.command === s1.SMB1_WRITE_ANDX) {
      const f = this.files1.get(s1.requestFid(buf, h.command, b));
      const at = s1.ioOffset(buf, h.command, b);
      const d = pipe.smb1WriteData(buf, m, mlen, b);
      if (f === undefined || at === null || d === null || this.maybePipe(`1:${s1.requestFid(buf, h.command, b)}`, this.trees1.get(h.tid)?.shareType, buf, d.off, m + avail)) return null;
      return { file: this.fileData(ctx, f, true, isOrig), at, d };
    }
    if (h.reply && h.command === s1.SMB1_READ_ANDX && (h.status === STATUS_SUCCESS || h.status === STATUS_BUFFER_OVERFLOW)) {
      const p = this.pending1.get(h.mid * 256 + h.command);
      if (p === undefined || typeof p.fid !== 'number' || p.offset === undefined) return null;
      const f = this.files1.get(p.fid);
      const d = pipe.smb1ReadData(buf, m, mlen, b);
      if (f === undefined || d === null) return null;
      return { file: this.fileData(ctx, f, false, isOrig), at: p.offset, d };
    }
    return null;
  }

  /**
   * A write that may be a named pipe's (not streamed: the message path sorts pipes from files):
   * a known pipe, a tree that is not a disk, or — the tree connect not captured — data that
   * starts like a DCE/RPC PDU (version 5) or cannot be seen yet.
   */
  private maybePipe(key: string, shareType: string | undefined, buf: Uint8Array, data: number, seen: number): boolean {
    if (this.pipes.has(key)) return true;
    if (shareType === 'DISK') return false;
    if (shareType !== undefined) return true;
    return data + 2 > seen || (buf[data] === 5 && buf[data + 1] <= 1);
  }

  private body(isOrig: boolean, buf: Uint8Array, off: number, n: number): void {
    const s = this.streams[isOrig ? 0 : 1];
    const ctx = this.ctx;
    if (s === null || ctx === null) return;
    const take = Math.min(n, s.left);
    if (take <= 0) return;
    s.file.data(ctx, s.at, buf, off, take);
    s.at += take;
    s.left -= take;
  }

  private bodyGap(isOrig: boolean, n: number): void {
    const s = this.streams[isOrig ? 0 : 1];
    const ctx = this.ctx;
    if (s === null || ctx === null) return;
    const take = Math.min(n, s.left);
    if (take <= 0) return;
    s.file.lost(ctx, s.at, take);
    s.at += take;
    s.left -= take;
  }

  // ---- DCE/RPC over named pipes -------------------------------------------------------------

  /**
   * The pipe stream of `key`. A pipe opened on an IPC$ tree is one; one whose open was not
   * captured is taken when its first write is a DCE/RPC bind or request.
   */
  private pipeFor(key: string, d: pipe.PipeData | null, buf: Uint8Array, known: boolean): DceRpcStream | undefined {
    let st = this.pipes.get(key);
    if (st !== undefined || d === null) return st;
    if (!known) {
      const h = parseDceRpcHeader(buf, d.off, d.len);
      if (h === null || (h.ptype !== PDU_BIND && h.ptype !== PDU_REQUEST)) return undefined;
    }
    st = new DceRpcStream(MAX_PIPE_PDU, (isOrig, h, b, o, n) => {
      if (this.ctx === null) return;
      // A server's bind_ack settles that the pipe speaks DCE/RPC (conn.log "smb,dce_rpc").
      if (h.ptype === PDU_BIND_ACK) this.ctx.confirm('dce_rpc');
      this.rpc.pdu(this.ctx, key, isOrig, h, b, o, n);
    });
    this.pipes.set(key, st);
    return st;
  }

  /** Pipe bytes in one direction (client writes: true); a message cut short leaves a gap. */
  private pipeData(st: DceRpcStream | undefined, toServer: boolean, buf: Uint8Array, d: pipe.PipeData | null): void {
    if (st === undefined || d === null || d.total === 0) return;
    if (!st.push(toServer, buf, d.off, d.len)) return;
    if (d.total > d.len) st.gap(toServer, d.total - d.len);
  }

  private pipeClosed(key: string): void {
    if (!this.pipes.delete(key)) return;
    this.rpc.close(key);
  }

  private message(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const dir = isOrig ? 0 : 1;
    // A streamed message arrives cut at its data (a message delivered whole was never streamed).
    this.curStreamed = this.streamed[dir] && len < total;
    this.streamed[dir] = false;
    this.streams[dir] = null;
    const ctx = this.ctx;
    if (ctx === null || damaged) return;
    const type = buf[off];
    if (type === NBSS_SESSION_REQUEST && isOrig) {
      const r = parseSessionRequest(buf, off, len);
      if (r !== null) ctx.emit({ type: 'smb.netbios_session', called: r.called.name, called_suffix: r.called.suffix, calling: r.calling.name, calling_suffix: r.calling.suffix, packet: ctx.packet.packetNo });
      return;
    }
    if (type !== NBSS_SESSION_MESSAGE || len <= NBSS_HEADER_LEN) return;
    const m = off + NBSS_HEADER_LEN;
    const mlen = len - NBSS_HEADER_LEN;
    void total;
    switch (buf[m]) {
      case SMB1_MAGIC:
        this.smb1(ctx, isOrig, buf, m, mlen);
        break;
      case SMB2_MAGIC:
        this.smb2(ctx, isOrig, buf, m, mlen);
        break;
      case SMB2_TRANSFORM_MAGIC:
        this.confirm(ctx);
        if (!this.encryptedSeen) {
          this.encryptedSeen = true;
          ctx.emit({ type: 'smb.encrypted', packet: ctx.packet.packetNo });
        }
        break;
      case SMB2_COMPRESSION_MAGIC:
        this.confirm(ctx);
        if (!this.compressedSeen) {
          this.compressedSeen = true;
          ctx.emit({ type: 'smb.compressed', packet: ctx.packet.packetNo });
        }
        if (smbGhost(buf, m, mlen)) ctx.emit(probeSent('smb.exploit_probe', 'smbghost', ctx, isOrig));
        break;
    }
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('smb');
  }

  private pend(map: BoundedMap<number, Pending>, key: number, command: number, extra: Partial<Pending>): void {
    const p = this.ctx!.packet;
    map.set(key, { command, tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, ...extra });
  }

  /** An exploit's probe went to the server: announced now, judged by its answer (exploit-probe.ts). */
  private probeSent(ctx: AnalyzerContext, isOrig: boolean, key: number, cmd: number, probe: 'ms17-010-check' | 'doublepulsar-ping'): void {
    this.pend(this.pending1, key, cmd, { probe });
    ctx.emit(probeSent('smb.exploit_probe', probe, ctx, isOrig));
  }

  private probeAnswered(ctx: AnalyzerContext, isOrig: boolean, p: Pending, status: number, verdict: ProbeVerdict): void {
    ctx.emit(probeAnswered('smb.exploit_probe', p.probe!, ctx, isOrig, statusText(status), verdict, p.packet));
  }

  // ---- SMB1 -------------------------------------------------------------------------------

  private smb1(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: number, len: number): void {
    const h = s1.parseSmb1Header(buf, m, len);
    if (h === null) {
      ctx.weird('smb.bad_smb1_header');
      return;
    }
    this.confirm(ctx);
    this.msgLen = len;
    let cmd = h.command;
    let b = s1.smb1Block(buf, m, len, m + s1.SMB1_HEADER_LEN);
    for (let i = 0; i < MAX_CHAIN && b !== null; i++) {
      this.smb1Command(ctx, isOrig, h, cmd, buf, m, b);
      if (!SMB1_ANDX_COMMANDS.has(cmd)) break;
      const nx = s1.smb1AndX(buf, m, len, b);
      if (nx === null) break;
      cmd = nx.command;
      b = nx.block;
    }
  }

  /**
   * Transaction primaries and secondaries. A server matches a secondary request to its
   * transaction by UID, TID, PID and MID; one of another family is no client's (MS-CIFS
   * §3.3.5.2.4 wants it failed), but the servers without MS17-010 took it, and EternalBlue
   * relies on that: its NT_TRANSACT (32-bit counts, room for a FEA list above 64 KiB) is
   * continued by TRANSACTION2_SECONDARY, so the list is handled as a TRANS2_OPEN2's and
   * SrvOs2FeaListSizeToNt miscounts it (CVE-2017-0144).
   */
  private transaction(ctx: AnalyzerContext, isOrig: boolean, h: s1.Smb1Header, cmd: number, buf: Uint8Array, m: number, b: s1.Smb1Block): void {
    const id = `${h.uid}:${h.tid}:${h.pid}:${h.mid}`;
    const own = s1.TRANS_SECONDARY[cmd];
    if (own !== undefined) {
      const p = s1.parseTransPrimary(buf, m, this.msgLen, cmd, b);
      if (p === null) return;
      if (p.params >= p.totalParams && p.data >= p.totalData) {
        this.trans1.delete(id);
        return;
      }
      const feaSize = p.setup0 === TRANS2_OPEN2 && p.data >= 4 && p.dataOff + 4 <= p.end ? u32(buf, p.dataOff) : -1;
      this.trans1.set(id, { command: cmd, func: p.func, totalData: p.totalData, feaSize, packet: ctx.packet.packetNo, tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec });
      return;
    }
    const t = this.trans1.get(id);
    if (t === undefined || s1.TRANS_SECONDARY[t.command] === cmd) return;
    this.trans1.delete(id);
    const ev: SmbExploitEvent = {
      type: 'smb.exploit',
      exploit: t.command === s1.SMB1_NT_TRANSACT && cmd === s1.SMB1_TRANSACTION2_SECONDARY ? 'eternalblue' : 'secondary-mismatch',
      client: sideAddr(ctx, isOrig),
      server: sideAddr(ctx, !isOrig),
      primary: s1.SMB1_COMMAND_NAMES[t.command],
      secondary: s1.SMB1_COMMAND_NAMES[cmd],
      function: t.func,
      total_data: t.totalData,
      ...(t.feaSize >= 0 ? { fea_list_size: t.feaSize } : {}),
      request_packet: t.packet,
      request_ts_sec: t.tsSec,
      request_ts_nsec: t.tsNsec,
      packet: ctx.packet.packetNo,
    };
    ctx.emit(ev);
  }

  private smb1Command(ctx: AnalyzerContext, isOrig: boolean, h: s1.Smb1Header, cmd: number, buf: Uint8Array, m: number, b: s1.Smb1Block): void {
    // Requests travel client → server; a reply flag on an originator's message means the
    // capture's direction is unusual, and the flag is what counts.
    const reply = h.reply;
    const key = h.mid * 256 + cmd;
    if (!reply && s1.SMB1_COMMAND_NAMES[cmd] !== undefined) this.transaction(ctx, isOrig, h, cmd, buf, m, b);
    switch (cmd) {
      case s1.SMB1_NEGOTIATE:
        if (!reply) {
          const d = s1.parseNegotiateRequest(buf, b);
          this.smb1Dialects = d;
          ctx.emit({ type: 'smb.dialect', side: 'client', host: sideAddr(ctx, isOrig), version: 'SMB1', smb1: d.some((x) => !s1.isSmb2Dialect(x)), dialects: d, packet: ctx.packet.packetNo });
        } else {
          const r = s1.parseNegotiateResponse(buf, h, b);
          if (r === null) return;
          if (r.securityMode !== undefined) this.smb1SecurityMode = r.securityMode;
          const NO_DIALECT = 0xffff;
          if (r.dialectIndex !== NO_DIALECT) {
            const dialect = this.smb1Dialects[r.dialectIndex] ?? `index ${r.dialectIndex}`;
            const ev: Record<string, unknown> = { type: 'smb.dialect', side: 'server', host: sideAddr(ctx, isOrig), version: 'SMB1', smb1: true, dialect, packet: ctx.packet.packetNo };
            if (r.securityMode !== undefined && b.wc === 17) ev.signing_required = (r.securityMode & SMB1_SIGNATURES_REQUIRED) !== 0;
            ctx.emit(ev as { type: string });
          }
          if (r.blobOff !== undefined) this.ntlm.token(ctx, isOrig, buf, r.blobOff, r.blobLen!);
        }
        return;
      case s1.SMB1_SESSION_SETUP_ANDX:
        if (!reply) {
          const r = s1.parseSessionSetupRequest(buf, m, h, b);
          if (r === null) return;
          if (r.blobOff !== undefined && r.blobLen! > 0) this.ntlm.token(ctx, isOrig, buf, r.blobOff, r.blobLen!);
          this.nativeOs(ctx, isOrig, r.nativeOs, r.nativeLanman, r.domain, r.account);
          this.plaintextPassword(ctx, isOrig, buf, r);
        } else {
          const r = s1.parseSessionSetupResponse(buf, m, h, b);
          if (r !== null) {
            if (r.blobOff !== undefined && r.blobLen! > 0) this.ntlm.token(ctx, isOrig, buf, r.blobOff, r.blobLen!);
            this.nativeOs(ctx, isOrig, r.nativeOs, r.nativeLanman, r.domain, undefined);
          }
          this.setupResult(ctx, h.status);
        }
        return;
      case s1.SMB1_TREE_CONNECT_ANDX:
        if (!reply) {
          const r = s1.parseTreeConnectRequest(buf, m, h, b);
          if (r !== null) this.pend(this.pending1, key, cmd, { path: r.path });
        } else {
          const p = this.pending1.get(key);
          this.pending1.delete(key);
          if (p === undefined || h.status !== STATUS_SUCCESS || p.path === undefined) return;
          const r = s1.parseTreeConnectResponse(buf, m, h, b);
          const shareType = r === null ? undefined : smb1ShareType(r.service);
          this.trees1.set(h.tid, { path: p.path, shareType });
          ctx.emit({
            type: 'smb.tree_connect',
            tsSec: p.tsSec,
            tsNsec: p.tsNsec,
            packet: p.packet,
            path: p.path,
            service: r?.service,
            native_file_system: r?.nativeFs,
            share_type: shareType,
          });
        }
        return;
      case s1.SMB1_NT_CREATE_ANDX:
      case s1.SMB1_OPEN_ANDX:
        if (!reply) {
          const r = cmd === s1.SMB1_NT_CREATE_ANDX ? s1.parseNtCreateRequest(buf, m, h, b) : s1.parseOpenAndxRequest(buf, m, h, b);
          if (r !== null) this.pend(this.pending1, key, cmd, { name: r.name, tree: h.tid });
        } else {
          const p = this.pending1.get(key);
          this.pending1.delete(key);
          if (p === undefined || h.status !== STATUS_SUCCESS) return;
          const r = cmd === s1.SMB1_NT_CREATE_ANDX ? s1.parseNtCreateResponse(buf, b) : s1.parseOpenAndxResponse(buf, b);
          if (r === null) return;
          const tree = this.trees1.get(p.tree ?? h.tid);
          if (tree?.shareType === 'PIPE') {
            this.pipeFor(`1:${r.fid}`, { fid: r.fid, off: 0, len: 0, total: 0 }, buf, true);
            return;
          }
          const f: OpenFile = { name: p.name || '<share_root>', path: tree?.path, size: r.size, times: r.times, tsSec: p.tsSec, tsNsec: p.tsNsec, rd: null, wr: null, rdLogged: false, wrLogged: false };
          this.files1.set(r.fid, f);
          this.fileEvent(ctx, f, 'SMB::FILE_OPEN', p);
        }
        return;
      case s1.SMB1_DELETE:
      case s1.SMB1_RENAME: {
        // By path, not by open file (as smbclient and pre-NT clients do it); logged from the
        // request, like SMB2's renames and deletions.
        if (reply) return;
        const tree = this.trees1.get(h.tid);
        if (tree?.shareType === 'PIPE') return;
        const pk = { command: cmd, tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec, packet: ctx.packet.packetNo };
        const f = (name: string): OpenFile => ({ name: name.replace(/^\\+/, ''), path: tree?.path, size: 0, times: NO_TIMES, tsSec: pk.tsSec, tsNsec: pk.tsNsec, rd: null, wr: null, rdLogged: false, wrLogged: false });
        if (cmd === s1.SMB1_DELETE) {
          const r = s1.parseDeleteRequest(buf, m, h, b);
          if (r !== null) this.fileEvent(ctx, f(r.name), 'SMB::FILE_DELETE', pk);
        } else {
          const r = s1.parseRenameRequest(buf, m, h, b);
          if (r !== null) this.fileEvent(ctx, f(r.to), 'SMB::FILE_RENAME', pk, undefined, r.from.replace(/^\\+/, ''));
        }
        return;
      }
      case s1.SMB1_TRANSACTION2: {
        // DoublePulsar's ping: TRANS2_SESSION_SETUP, a subcommand no client uses; an implanted
        // server answers with the multiplex id raised by 16.
        if (!reply) {
          if (pipe.smb1TransSetup(buf, b, false)?.[0] !== pipe.TRANS2_SESSION_SETUP) return;
          // Timeout: words 6–7 of the request (MS-CIFS §2.2.4.46.1).
          const t = u32(buf, b.words + 12);
          const op = (t + (t >>> 8) + (t >>> 16) + (t >>> 24)) & 0xff;
          if (op !== DOUBLEPULSAR_EXEC && op !== DOUBLEPULSAR_KILL) {
            this.probeSent(ctx, isOrig, key, cmd, 'doublepulsar-ping');
            return;
          }
          const ev: SmbExploitEvent = {
            type: 'smb.exploit',
            exploit: op === DOUBLEPULSAR_EXEC ? 'doublepulsar-exec' : 'doublepulsar-kill',
            client: sideAddr(ctx, isOrig),
            server: sideAddr(ctx, !isOrig),
            primary: 'TRANSACTION2',
            function: pipe.TRANS2_SESSION_SETUP,
            total_data: u16(buf, b.words + 2),
            opcode: op,
            packet: ctx.packet.packetNo,
          };
          ctx.emit(ev);
          this.pend(this.pending1, key, cmd, { implant: ev });
          return;
        }
        // The implant answers with the multiplex id raised by its status: 0x10 success (a ping's
        // only answer), 0x20 invalid parameters, 0x30 allocation failure.
        let p = this.pending1.get(key);
        let delta = 0;
        if (p?.probe !== 'doublepulsar-ping' && p?.implant === undefined) {
          p = undefined;
          for (const d of [DOUBLEPULSAR_MID_DELTA, 2 * DOUBLEPULSAR_MID_DELTA, 3 * DOUBLEPULSAR_MID_DELTA]) {
            const q = this.pending1.get((h.mid - d) * 256 + cmd);
            if (q?.implant !== undefined || (q?.probe === 'doublepulsar-ping' && d === DOUBLEPULSAR_MID_DELTA)) {
              p = q;
              delta = d;
              break;
            }
          }
        }
        if (p === undefined) return;
        this.pending1.delete((h.mid - delta) * 256 + cmd);
        if (p.implant !== undefined) {
          ctx.emit({ ...p.implant, answered: true, implant: delta > 0, ...(delta > 0 ? { implant_status: DOUBLEPULSAR_STATUS[delta] } : {}), status: statusText(h.status), request_packet: p.packet, packet: ctx.packet.packetNo });
          return;
        }
        this.probeAnswered(ctx, isOrig, p, h.status, delta > 0 ? 'implant' : 'no_implant');
        return;
      }
      case s1.SMB1_TRANSACTION: {
        if (!reply) {
          // The MS17-010 check: PeekNamedPipe on FID 0 in IPC$ (setup[1] is the FID).
          const setup = pipe.smb1TransSetup(buf, b, false);
          if (setup !== null && setup[0] === pipe.TRANS_PEEK_NMPIPE && setup[1] === 0) {
            this.probeSent(ctx, isOrig, key, cmd, 'ms17-010-check');
            return;
          }
          const t = pipe.smb1TransData(buf, m, this.msgLen, b, false);
          if (t === null || t.setup[0] !== pipe.TRANS_TRANSACT_NMPIPE || typeof t.fid !== 'number' || t.fid < 0) return;
          const pkey = `1:${t.fid}`;
          this.pipeData(this.pipeFor(pkey, t, buf, this.trees1.get(h.tid)?.shareType === 'PIPE'), true, buf, t);
          if (this.pipes.has(pkey)) this.pend(this.pending1, key, cmd, { pipe: pkey });
        } else {
          const p = this.pending1.get(key);
          if (p?.probe === 'ms17-010-check') {
            this.pending1.delete(key);
            this.probeAnswered(ctx, isOrig, p, h.status, h.status === STATUS_INSUFF_SERVER_RESOURCES ? 'vulnerable' : 'not_vulnerable');
            return;
          }
          if (p?.pipe === undefined) return;
          this.pending1.delete(key);
          if (h.status !== STATUS_SUCCESS && h.status !== STATUS_BUFFER_OVERFLOW) return;
          this.pipeData(this.pipes.get(p.pipe), false, buf, pipe.smb1TransData(buf, m, this.msgLen, b, true));
        }
        return;
      }
      case s1.SMB1_READ_ANDX:
      case s1.SMB1_WRITE_ANDX:
      case s1.SMB1_CLOSE: {
        if (reply) {
          if (cmd !== s1.SMB1_READ_ANDX) return;
          const p = this.pending1.get(key);
          if (p === undefined || (p.pipe === undefined && p.fid === undefined)) return;
          this.pending1.delete(key);
          if (h.status !== STATUS_SUCCESS && h.status !== STATUS_BUFFER_OVERFLOW) return;
          if (p.pipe !== undefined) {
            this.pipeData(this.pipes.get(p.pipe), false, buf, pipe.smb1ReadData(buf, m, this.msgLen, b));
            return;
          }
          const f = this.files1.get(p.fid as number);
          if (f === undefined || p.offset === undefined) return;
          const r = this.fileData(ctx, f, false, isOrig);
          if (!this.curStreamed) this.feed(ctx, r, p.offset, buf, pipe.smb1ReadData(buf, m, this.msgLen, b));
          this.fileLogged(ctx, f, false);
          return;
        }
        const fid = s1.requestFid(buf, cmd, b);
        const pkey = `1:${fid}`;
        const f = this.files1.get(fid);
        // A write on a pipe (its tree is IPC$, or, when the tree connect was not captured, the
        // data is a DCE/RPC bind or request) goes to DCE/RPC; a pipe is never a file.
        let isPipe = this.pipes.has(pkey);
        const shareType = this.trees1.get(h.tid)?.shareType;
        if (cmd === s1.SMB1_WRITE_ANDX && shareType !== 'DISK') {
          const d = pipe.smb1WriteData(buf, m, this.msgLen, b);
          const st = this.pipeFor(pkey, d, buf, shareType === 'PIPE');
          this.pipeData(st, true, buf, d);
          isPipe = st !== undefined;
        } else if (cmd === s1.SMB1_READ_ANDX && isPipe) this.pend(this.pending1, key, cmd, { pipe: pkey });
        else if (cmd === s1.SMB1_CLOSE) this.pipeClosed(pkey);
        if (f === undefined) return;
        if (cmd === s1.SMB1_CLOSE) {
          this.closeFile(f);
          this.files1.delete(fid);
          return;
        }
        const write = cmd === s1.SMB1_WRITE_ANDX;
        this.fileEvent(ctx, f, write ? 'SMB::FILE_WRITE' : 'SMB::FILE_READ', null);
        const at = s1.ioOffset(buf, cmd, b);
        if (at === null || isPipe) return;
        if (!write) {
          this.pend(this.pending1, key, cmd, { fid, offset: at });
          return;
        }
        const d = pipe.smb1WriteData(buf, m, this.msgLen, b);
        if (d === null || d.total === 0) return;
        const r = this.fileData(ctx, f, true, isOrig);
        if (!this.curStreamed) this.feed(ctx, r, at, buf, d);
        this.fileLogged(ctx, f, true);
        return;
      }
    }
  }

  /** The side is the connection's role (originator = client), whatever the message's reply flag says. */
  private nativeOs(ctx: AnalyzerContext, isOrig: boolean, os?: string, lanman?: string, domain?: string, account?: string): void {
    const side = isOrig ? 'client' : 'server';
    os = clean(os);
    lanman = clean(lanman);
    domain = clean(domain);
    account = clean(account);
    if (os === undefined && lanman === undefined && domain === undefined && account === undefined) return;
    ctx.emit({ type: 'smb.native_os', side, host: sideAddr(ctx, isOrig), os, lanman, domain, account, packet: ctx.packet.packetNo });
  }

  /**
   * A pre-NTLMSSP SESSION_SETUP to a server that did not ask for challenge/response carries
   * the password itself: keep only its digest for the default-credential check.
   */
  private plaintextPassword(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, r: s1.Smb1SessionSetupRequest): void {
    if (this.smb1SecurityMode < 0 || this.smb1SecurityMode & s1.NEGOTIATE_ENCRYPT_PASSWORDS) return;
    if (r.passwordOff === undefined) return;
    let pw: string;
    if (r.passwordLen > 0) pw = Buffer.from(buf.subarray(r.passwordOff, r.passwordOff + r.passwordLen)).toString('latin1');
    else if (r.unicodePasswordLen > 0) pw = Buffer.from(buf.subarray(r.passwordOff, r.passwordOff + r.unicodePasswordLen)).toString('utf16le');
    else return;
    pw = pw.replace(/\0+$/, '');
    if (pw === '') return;
    const c = ctx.conn;
    ctx.emit({
      type: 'credential',
      service: 'smb',
      mechanism: 'plaintext',
      user: r.account ?? '',
      password: REDACTED,
      secret: secretDigest(pw),
      host: sideAddr(ctx, !isOrig),
      host_p: isOrig ? c.rPort : c.oPort,
      packet: ctx.packet.packetNo,
    });
  }

  /** A SESSION_SETUP response's status settles a pending NTLM attempt. */
  private setupResult(ctx: AnalyzerContext, status: number): void {
    if (status === STATUS_MORE_PROCESSING_REQUIRED || status === STATUS_PENDING) return;
    if (this.ntlm.awaitingResult) this.ntlm.result(ctx, status === STATUS_SUCCESS);
  }

  private fileEvent(ctx: AnalyzerContext, f: OpenFile, action: SmbFileAction, p: Pending | null, fuid?: string, prevName?: string): void {
    // Like Zeek's recent_files: the same action on the same file (name, path, size and times
    // other than the access time) is logged once per connection, however often it is opened;
    // Zeek logs it again with the fuid when its file analysis takes the file's first bytes.
    const t = f.times;
    const key = `${action}|${f.name}|${f.path ?? ''}|${f.size}|${t.created}|${t.modified}|${t.changed}|${fuid ?? ''}|${prevName ?? ''}`;
    if (this.loggedFiles.has(key)) return;
    if (this.loggedFiles.size < MAX_LOGGED_FILES) this.loggedFiles.add(key);
    const ev: Record<string, unknown> = {
      type: 'smb.file',
      tsSec: f.tsSec,
      tsNsec: f.tsNsec,
      packet: p?.packet ?? ctx.packet.packetNo,
      action,
      path: f.path,
      name: f.name,
      size: f.size,
    };
    if (prevName !== undefined) ev.prev_name = prevName;
    if (fuid !== undefined) ev.fuid = fuid;
    if (t.created !== null) ev.created = t.created;
    if (t.accessed !== null) ev.accessed = t.accessed;
    if (t.modified !== null) ev.modified = t.modified;
    if (t.changed !== null) ev.changed = t.changed;
    ctx.emit(ev as { type: string });
  }

  // ---- SMB2/3 -----------------------------------------------------------------------------

  private smb2(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const end = off + len;
    let p = off;
    for (let i = 0; i < MAX_CHAIN; i++) {
      const h = s2.parseSmb2Header(buf, p, end - p);
      if (h === null) {
        if (i === 0) ctx.weird('smb.bad_smb2_header');
        return;
      }
      this.confirm(ctx);
      const mlen = h.nextCommand >= s2.SMB2_HEADER_LEN ? Math.min(h.nextCommand, end - p) : end - p;
      this.smb2Command(ctx, isOrig, h, buf, p, mlen);
      if (h.nextCommand < s2.SMB2_HEADER_LEN) return;
      p += h.nextCommand;
      if (p >= end) return;
    }
  }

  private smb2Command(ctx: AnalyzerContext, isOrig: boolean, h: s2.Smb2Header, buf: Uint8Array, off: number, len: number): void {
    const pk = ctx.packet.packetNo;
    switch (h.command) {
      case s2.SMB2_NEGOTIATE:
        if (!h.response) {
          const r = s2.parseNegotiateRequest(buf, off, len);
          if (r === null) return;
          const top = r.dialects.reduce((a, d) => (d > a && d !== s2.DIALECT_WILDCARD ? d : a), 0);
          const ev: Record<string, unknown> = {
            type: 'smb.dialect',
            side: 'client',
            host: sideAddr(ctx, isOrig),
            version: top >= 0x0300 ? 'SMB3' : 'SMB2',
            smb1: false,
            dialects: r.dialects.map(s2.dialectName),
            signing_required: (r.securityMode & SMB2_SIGNING_REQUIRED) !== 0,
            packet: pk,
          };
          this.contexts(ev, r.contexts);
          ctx.emit(ev as { type: string });
        } else if (h.status === STATUS_SUCCESS) {
          const r = s2.parseNegotiateResponse(buf, off, len);
          if (r === null) return;
          const ev: Record<string, unknown> = {
            type: 'smb.dialect',
            side: 'server',
            host: sideAddr(ctx, isOrig),
            version: r.dialect >= 0x0300 && r.dialect !== s2.DIALECT_WILDCARD ? 'SMB3' : 'SMB2',
            smb1: false,
            dialect: s2.dialectName(r.dialect),
            signing_required: (r.securityMode & SMB2_SIGNING_REQUIRED) !== 0,
            packet: pk,
          };
          this.contexts(ev, r.contexts);
          ctx.emit(ev as { type: string });
          if (r.blobOff !== undefined) this.ntlm.token(ctx, isOrig, buf, r.blobOff, r.blobLen!);
        }
        return;
      case s2.SMB2_SESSION_SETUP: {
        const r = s2.parseSessionSetup(buf, off, len, h.response);
        if (r?.blobOff !== undefined && r.blobLen! > 0) this.ntlm.token(ctx, isOrig, buf, r.blobOff, r.blobLen!);
        if (h.response) this.setupResult(ctx, h.status);
        return;
      }
      case s2.SMB2_TREE_CONNECT:
        if (!h.response) {
          const path = s2.parseTreeConnectRequest(buf, off, len);
          if (path !== null) this.pend(this.pending2, h.messageId, h.command, { path });
        } else {
          if (h.status === STATUS_PENDING) return;
          const p = this.pending2.get(h.messageId);
          this.pending2.delete(h.messageId);
          if (p === undefined || p.command !== h.command || h.status !== STATUS_SUCCESS || p.path === undefined) return;
          const r = s2.parseTreeConnectResponse(buf, off, len);
          const shareType = r === null ? undefined : s2.SHARE_TYPES[r.shareType];
          this.trees2.set(h.treeId, { path: p.path, shareType });
          ctx.emit({ type: 'smb.tree_connect', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packet, path: p.path, share_type: shareType });
        }
        return;
      case s2.SMB2_CREATE:
        if (!h.response) {
          const r = s2.parseCreateRequest(buf, off, len);
          if (r !== null) this.pend(this.pending2, h.messageId, h.command, { name: r.name, tree: h.treeId, deleteOnClose: (r.options & s2.FILE_DELETE_ON_CLOSE) !== 0 });
        } else {
          if (h.status === STATUS_PENDING) return;
          const p = this.pending2.get(h.messageId);
          this.pending2.delete(h.messageId);
          if (p === undefined || p.command !== h.command || h.status !== STATUS_SUCCESS) return;
          const r = s2.parseCreateResponse(buf, off, len);
          if (r === null) return;
          const tree = this.trees2.get(p.tree ?? h.treeId);
          if (tree?.shareType === 'PIPE') {
            this.pipeFor(`2:${r.fileId}`, { fid: r.fileId, off: 0, len: 0, total: 0 }, buf, true);
            return;
          }
          const f: OpenFile = { name: p.name || '<share_root>', path: tree?.path, size: r.size, times: r.times, tsSec: p.tsSec, tsNsec: p.tsNsec, rd: null, wr: null, rdLogged: false, wrLogged: false };
          this.files2.set(r.fileId, f);
          this.fileEvent(ctx, f, 'SMB::FILE_OPEN', p);
          // Opened to be deleted when closed: how Samba's clients (and Windows for some calls)
          // delete a file. Zeek logs FILE_DELETE from SET_INFO only; wardline from both.
          if (p.deleteOnClose === true) this.fileEvent(ctx, f, 'SMB::FILE_DELETE', p);
        }
        return;
      case s2.SMB2_SET_INFO: {
        // Renames and deletions, logged from the request as Zeek does (smb2_file_rename,
        // smb2_file_delete); the new name becomes the open file's.
        if (h.response) return;
        const r = s2.parseSetInfoRequest(buf, off, len);
        const f = r === null ? undefined : this.files2.get(r.fileId);
        if (r === null || f === undefined || r.action === 'undelete') return;
        const pk = { command: h.command, tsSec: ctx.packet.tsSec, tsNsec: ctx.packet.tsNsec, packet: ctx.packet.packetNo };
        if (r.action === 'delete') {
          this.fileEvent(ctx, f, 'SMB::FILE_DELETE', pk);
          return;
        }
        const prev = f.name;
        f.name = r.name!;
        this.fileEvent(ctx, f, 'SMB::FILE_RENAME', pk, undefined, prev);
        return;
      }
      case pipe.SMB2_IOCTL: {
        if (h.status === STATUS_PENDING) return;
        const d = pipe.smb2IoctlData(buf, off, len, h.response);
        if (d === null || d.ctlCode !== pipe.FSCTL_PIPE_TRANSCEIVE) return;
        const pkey = `2:${d.fid}`;
        if (!h.response) this.pipeData(this.pipeFor(pkey, d, buf, this.trees2.get(h.treeId)?.shareType === 'PIPE'), true, buf, d);
        else if (h.status === STATUS_SUCCESS || h.status === STATUS_BUFFER_OVERFLOW) this.pipeData(this.pipes.get(pkey), false, buf, d);
        return;
      }
      case s2.SMB2_READ:
      case s2.SMB2_WRITE:
      case s2.SMB2_CLOSE: {
        if (h.response) {
          if (h.command !== s2.SMB2_READ || h.status === STATUS_PENDING) return;
          const p = this.pending2.get(h.messageId);
          if (p === undefined || p.command !== h.command || (p.pipe === undefined && p.fid === undefined)) return;
          this.pending2.delete(h.messageId);
          if (h.status !== STATUS_SUCCESS && h.status !== STATUS_BUFFER_OVERFLOW) return;
          if (p.pipe !== undefined) {
            this.pipeData(this.pipes.get(p.pipe), false, buf, pipe.smb2ReadData(buf, off, len));
            return;
          }
          const f = this.files2.get(p.fid as string);
          if (f === undefined || p.offset === undefined) return;
          const r = this.fileData(ctx, f, false, isOrig);
          if (!this.curStreamed) this.feed(ctx, r, p.offset, buf, pipe.smb2ReadData(buf, off, len));
          this.fileLogged(ctx, f, false);
          return;
        }
        const id = s2.requestFileId(buf, off, len, h.command);
        if (id === null) return;
        const pkey = `2:${id}`;
        const f = this.files2.get(id);
        // As for SMB1: a pipe's writes go to DCE/RPC and it is never a file.
        let isPipe = this.pipes.has(pkey);
        const shareType = this.trees2.get(h.treeId)?.shareType;
        if (h.command === s2.SMB2_WRITE && shareType !== 'DISK') {
          const d = pipe.smb2WriteData(buf, off, len);
          const st = this.pipeFor(pkey, d, buf, shareType === 'PIPE');
          this.pipeData(st, true, buf, d);
          isPipe = st !== undefined;
        } else if (h.command === s2.SMB2_READ && isPipe) this.pend(this.pending2, h.messageId, h.command, { pipe: pkey });
        else if (h.command === s2.SMB2_CLOSE) this.pipeClosed(pkey);
        if (f === undefined) return;
        if (h.command === s2.SMB2_CLOSE) {
          this.closeFile(f);
          this.files2.delete(id);
          return;
        }
        const write = h.command === s2.SMB2_WRITE;
        this.fileEvent(ctx, f, write ? 'SMB::FILE_WRITE' : 'SMB::FILE_READ', null);
        const at = s2.ioOffset(buf, off, len);
        if (at === null || isPipe) return;
        if (!write) {
          this.pend(this.pending2, h.messageId, h.command, { fid: id, offset: at });
          return;
        }
        const d = pipe.smb2WriteData(buf, off, len);
        if (d === null || d.total === 0) return;
        const r = this.fileData(ctx, f, true, isOrig);
        if (!this.curStreamed) this.feed(ctx, r, at, buf, d);
        this.fileLogged(ctx, f, true);
        return;
      }
    }
  }

  private contexts(ev: Record<string, unknown>, c: s2.NegotiateContexts | undefined): void {
    if (c === undefined) return;
    if (c.compressionAlgorithms !== undefined) {
      ev.compression_offered = c.compressionOffered;
      ev.compression_algorithms = c.compressionAlgorithms;
    }
    if (c.ciphers !== undefined) ev.encryption_ciphers = c.ciphers;
    if (c.signingAlgorithms !== undefined) ev.signing_algorithms = c.signingAlgorithms;
    if (c.netname !== undefined) ev.netname = c.netname;
  }
}
