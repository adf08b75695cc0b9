// Per-flow ONC RPC state: calls and replies paired by XID (bounded), one record per program the
// flow carried, reported at its end (rpc.log). Over UDP a datagram is one message; over TCP
// messages follow record marking (RFC 5531 §11: a 4-byte header, the top bit ending the record,
// 31 bits of fragment length), and a message's first fragment holds everything read here.
// What is kept: procedures, credential flavors and the AUTH_SYS machine name, uid and gid (the
// client names itself there), MOUNT's export paths and answers (with the flavors a v3 server
// accepts; UMNT names its path too), the exports an EXPORT listed, portmapper lookups and their answers, the NFSv4 minor
// version and client owner, and refusals. Never a file name or file contents.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import type { RpcProgramRecord } from './events.js';
import {
  AUTH_FLAVORS,
  PROGRAMS,
  PROG_MOUNT,
  PROG_NFS,
  PROG_PORTMAP,
  nfsStatusName,
  parseCall,
  parseCompound,
  parseReply,
  procedureName,
  readString,
  replyError,
  u32,
  type RpcCall,
  type RpcReply,
} from './parse.js';
import { evictOldest } from '../../util/evict.js';

/** Calls awaiting their reply, per flow. */
const MAX_PENDING = 64;
/** Distinct items kept per record (procedures, paths, errors …). */
const MAX_ITEMS = 32;
/** Bytes of a TCP record kept when it arrives split (headers and the small arguments read here). */
const MAX_KEEP = 4096;
const RECORD_MARK = 4;
/** A fragment longer than this is not RPC framing (RFC 5531 allows 2^31 - 1; NFS writes stay far below). */
const MAX_FRAGMENT = 16 << 20;
const MAX_PATH = 1024;
const MAX_EXPORTS = 64;

const MNT = 1;
const UMNT = 3;
const EXPORT = 5;
const GETPORT = 3;
const NFS4_COMPOUND = 1;

function recordLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < RECORD_MARK) return 0;
  const n = u32(b, off) & 0x7fffffff;
  return n >= 12 && n <= MAX_FRAGMENT ? RECORD_MARK + n : -1;
}

interface Pending {
  prog: number;
  vers: number;
  proc: number;
  /** Portmapper GETPORT/GETADDR: the program and version asked for ("nfs v3"). */
  asked: string | null;
}

/** Programs recorded per flow (one or two in practice). */
const MAX_PROGRAMS = 8;

function push(list: string[], v: string): void {
  if (list.length < MAX_ITEMS && !list.includes(v)) list.push(v);
}

export class RpcAnalyzer implements FlowAnalyzer {
  private readonly records = new Map<number, RpcProgramRecord>();
  private readonly pending = new Map<number, Pending>();
  private framers: PduFramer[] | null = null;
  private ctx: AnalyzerContext | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto !== 6) {
      this.message(ctx, isOrig, buf, off, len);
      return;
    }
    this.ctx = ctx;
    if (this.framers === null) {
      const opts = { maxHeader: RECORD_MARK, maxKeep: MAX_KEEP, lengthOf: recordLength };
      this.framers = [
        new PduFramer(opts, { pdu: (b, o, n) => this.message(this.ctx!, true, b, o + RECORD_MARK, n - RECORD_MARK) }),
        new PduFramer(opts, { pdu: (b, o, n) => this.message(this.ctx!, false, b, o + RECORD_MARK, n - RECORD_MARK) }),
      ];
    }
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('rpc.bad_record_mark');
      ctx.violation?.();
    }
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.framers?.[isOrig ? 0 : 1].gap(len);
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    if (len < 8) return;
    const type = u32(b, off + 4);
    if (type === 0) {
      const c = parseCall(b, off, len);
      if (c === null) ctx.weird('rpc.bad_call');
      else this.call(ctx, isOrig, c, b, off + len);
    } else if (type === 1) {
      const r = parseReply(b, off, len);
      if (r === null) ctx.weird('rpc.bad_reply');
      else this.reply(ctx, r, b, off + len);
    } else ctx.weird('rpc.bad_message_type');
  }

  private record(ctx: AnalyzerContext, prog: number, isOrig: boolean): RpcProgramRecord | null {
    let r = this.records.get(prog);
    if (r === undefined) {
      if (this.records.size >= MAX_PROGRAMS) return null;
      // conn.log names the first program, then every further one it knows (once each).
      const name = PROGRAMS[prog];
      if (name !== undefined || this.records.size === 0) ctx.confirm(name ?? 'rpc');
      const m = ctx.packet;
      r = { type: 'rpc.program', tsSec: m.tsSec, tsNsec: m.tsNsec, packet: m.packetNo, program: PROGRAMS[prog] ?? String(prog), program_number: prog, client_is_orig: isOrig, versions: [], calls: 0, replies: 0, procedures: [], auth: [], mount_paths: [], exports: [], portmap: [], errors: [] };
      this.records.set(prog, r);
    }
    return r;
  }

  private call(ctx: AnalyzerContext, isOrig: boolean, c: RpcCall, b: Uint8Array, end: number): void {
    const r = this.record(ctx, c.prog, isOrig);
    if (r === null) return;
    r.calls++;
    if (!r.versions.includes(c.vers) && r.versions.length < 8) r.versions.push(c.vers);
    push(r.procedures, procedureName(c.prog, c.vers, c.proc));
    push(r.auth, AUTH_FLAVORS[c.flavor] ?? String(c.flavor));
    if (c.machineName !== undefined && r.machine_name === undefined) {
      r.machine_name = c.machineName;
      r.auth_uid = c.uid;
      r.auth_gid = c.gid;
    }
    if (c.gssService !== undefined && r.gss_service === undefined) r.gss_service = c.gssService;
    // Arguments that say what the client is after (never file names).
    if (c.prog === PROG_MOUNT && (c.proc === MNT || c.proc === UMNT)) {
      const p = readString(b, c.argsOff, end, MAX_PATH);
      if (p !== null) push(r.mount_paths, p.value);
    } else if (c.prog === PROG_NFS && c.vers === 4 && c.proc === NFS4_COMPOUND) {
      const cp = parseCompound(b, c.argsOff, end);
      if (cp !== null) {
        r.nfs4_minor ??= cp.minor;
        push(r.procedures, cp.first);
        if (cp.owner !== undefined && r.client_owner === undefined) r.client_owner = cp.owner;
      }
    }
    // GETPORT (v2) and GETADDR (v3, v4) both start with the program and version asked for.
    const asked = c.prog === PROG_PORTMAP && c.proc === GETPORT && c.argsOff + 8 <= end ? `${PROGRAMS[u32(b, c.argsOff)] ?? u32(b, c.argsOff)} v${u32(b, c.argsOff + 4)}` : null;
    if (this.pending.size >= MAX_PENDING) evictOldest(this.pending);
    this.pending.set(c.xid, { prog: c.prog, vers: c.vers, proc: c.proc, asked });
  }

  private reply(ctx: AnalyzerContext, rep: RpcReply, b: Uint8Array, end: number): void {
    const p = this.pending.get(rep.xid);
    if (p === undefined) return;
    this.pending.delete(rep.xid);
    const r = this.records.get(p.prog);
    if (r === undefined) return;
    r.replies++;
    const err = replyError(rep);
    if (err !== null) {
      push(r.errors, err);
      return;
    }
    const o = rep.resOff;
    if (p.prog === PROG_MOUNT && p.proc === MNT && o + 4 <= end) {
      // fhstatus (v1) / mountstat3 (v3): 0 is success; v3 then lists the flavors the export accepts.
      const status = u32(b, o);
      if (status !== 0) push(r.errors, `MNT ${nfsStatusName(status)}`);
      else if (p.vers === 3) {
        const fhLen = o + 8 <= end ? u32(b, o + 4) : 65;
        let q = o + 8 + ((fhLen + 3) & ~3);
        if (fhLen <= 64 && q + 4 <= end) {
          const n = Math.min(u32(b, q), 16);
          q += 4;
          const flavors: string[] = [];
          for (let i = 0; i < n && q + 4 <= end; i++, q += 4) flavors.push(AUTH_FLAVORS[u32(b, q)] ?? String(u32(b, q)));
          if (flavors.length > 0) r.server_flavors = flavors;
        }
      }
    } else if (p.prog === PROG_MOUNT && p.proc === EXPORT) {
      // exports: a linked list of (directory, groups list) entries
      let q = o;
      while (q + 4 <= end && u32(b, q) === 1 && r.exports.length < MAX_EXPORTS) {
        const dir = readString(b, q + 4, end, MAX_PATH);
        if (dir === null) break;
        push(r.exports, dir.value);
        q = dir.next;
        while (q + 4 <= end && u32(b, q) === 1) {
          const g = readString(b, q + 4, end, MAX_PATH);
          if (g === null) return;
          q = g.next;
        }
        q += 4;
      }
    } else if (p.prog === PROG_PORTMAP && p.proc === GETPORT) {
      const asked = p.asked;
      if (asked === null) return;
      let answer: string | null = null;
      if (p.vers === 2 && o + 4 <= end) answer = String(u32(b, o));
      else if (p.vers > 2) answer = uaddrPort(readString(b, o, end, 128)?.value ?? '');
      if (answer !== null && r.portmap.length < MAX_ITEMS) push(r.portmap, `${asked} -> ${answer}`);
    } else if (p.prog === PROG_NFS && p.proc !== 0 && o + 4 <= end) {
      // Every NFS v2/v3 result and v4 COMPOUND result starts with its status.
      const status = u32(b, o);
      if (status !== 0) push(r.errors, nfsStatusName(status));
    }
  }

  end(ctx: AnalyzerContext): void {
    for (const r of this.records.values()) ctx.emit(r);
    this.records.clear();
  }
}

/** The port of an rpcbind universal address ("h1.h2.h3.h4.p1.p2", RFC 5665 §5.2.3.4), or '' unanswered. */
function uaddrPort(u: string): string | null {
  if (u === '') return 'not registered';
  const m = /\.(\d{1,3})\.(\d{1,3})$/.exec(u);
  return m === null ? null : String(Number(m[1]) * 256 + Number(m[2]));
}
