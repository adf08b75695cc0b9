// DCE/RPC call state of one connection, whatever carries the PDUs (a TCP stream, or SMB named
// pipes, one "fid" each): which interface each presentation context is bound to (C706 §12.6.4.3),
// the opnum of the call in progress on each context, and Zeek's dce_rpc.log record per fid
// (base/protocols/dce-rpc/main.zeek): the record is dated by the last request, its operation is
// named when the response arrives (by the response's p_cont_id, else by the last bound
// interface), it is logged then unless Zeek ignores that operation, and the record and state
// stay with the fid (a later line reuses what an earlier one set, as Zeek's does). Multi-fragment
// PDUs count once, at their last fragment (C706 §12.6.3.1 PFC_FIRST_FRAG/PFC_LAST_FRAG).
import type { AnalyzerContext } from '../types.js';
import {
  PDU_ALTER_CONTEXT,
  PDU_ALTER_CONTEXT_RESP,
  PDU_BIND,
  PDU_BIND_ACK,
  PDU_FAULT,
  PDU_REQUEST,
  PDU_RESPONSE,
  PFC_FIRST_FRAG,
  PFC_LAST_FRAG,
  parseBindAckSecAddr,
  parseBindContexts,
  callStub,
  parseCallHeader,
  type DceRpcHeader,
} from './parse.js';
import {
  NETLOGON_UUID,
  OPNUM_AUTHENTICATE,
  OPNUM_AUTHENTICATE2,
  OPNUM_AUTHENTICATE3,
  OPNUM_REQ_CHALLENGE,
  ntStatusName,
  parseAuthenticateRequest,
  parseNetlogonStatus,
  parseReqChallengeRequest,
  type AuthenticateRequest,
} from './netlogon.js';
import { OPNUM_PATH_CANONICALIZE, OPNUM_PATH_COMPARE, PATH_KEPT, SRVSVC_UUID, WERR_INVALID_NAME, WERR_INVALID_PARAMETER, WERR_OK, climbs, parsePathRequest, parseWerror } from './srvsvc.js';
import { probeAnswered, probeSent, type ProbeVerdict } from '../exploit-probe.js';
import { endpointName, ignoredOperation, operationName, pipeInterface } from './names.js';
import type { DceRpcCallEvent, NetlogonAuthenticateEvent } from './events.js';
import { evictOldest } from '../../util/evict.js';

/** Carriers (TCP stream, pipes) remembered per connection; the oldest is forgotten past it. */
const MAX_FIDS = 64;
/** Presentation contexts and in-progress opnums remembered per fid. */
const MAX_CONTEXTS = 64;
/** Multi-fragment calls in progress per fid and direction. */
const MAX_FRAGMENTED = 16;

/** Zeek's DCE_RPC::Info record of one fid: what the next log line holds. */
interface Info {
  tsSec: number;
  tsNsec: number;
  /** Packet of the request (the call evidence cites), 0 until one is seen. */
  packet: number;
  rttUs?: number;
  namedPipe?: string;
  endpoint?: string;
  operation?: string;
}

class FidState {
  readonly info: Info;
  /** Last interface bound (Zeek's state$uuid). */
  uuid?: string;
  namedPipe?: string;
  readonly ctxToUuid = new Map<number, string>();
  /** Opnum of the last request on each context, to name its response (which carries none). */
  readonly ctxOpnum = new Map<number, number>();
  readonly fragOrig = new Set<number>();
  readonly fragResp = new Set<number>();
  /** UUID and opnum of the operation named last (for the event, beside Zeek's names). */
  opUuid?: string;
  opnum = -1;
  /** Contexts bound with the NDR64 transfer syntax. */
  readonly ndr64 = new Set<number>();
  /** The last netlogon ReqChallenge's ClientChallenge was all zero (undefined: none seen). */
  zeroChallenge?: boolean;
  /** A netlogon Authenticate request awaiting its response. */
  pendingAuth: { req: AuthenticateRequest; opnum: number; ctxId: number; packet: number; tsSec: number; tsNsec: number } | null = null;
  /** An MS08-067 probe (a srvsvc path call with a climbing path) awaiting its answer. */
  pendingProbe: { opnum: number; ctxId: number; callId: number; packet: number } | null = null;
  constructor(tsSec: number, tsNsec: number) {
    this.info = { tsSec, tsNsec, packet: 0 };
  }
}

function boundedSet<K, V>(m: Map<K, V>, k: K, v: V): void {
  if (!m.has(k) && m.size >= MAX_CONTEXTS) evictOldest(m);
  m.set(k, v);
}

export class DceRpcSession {
  private readonly fids = new Map<number | string, FidState>();
  /** Zeek's c$dce_rpc: set by every PDU, cleared once a response is logged. */
  private current: FidState | null = null;

  /**
   * One whole PDU (or its first `len` bytes of `total`) on carrier `fid`. Returns the header
   * when the bytes were a DCE/RPC PDU.
   */
  pdu(ctx: AnalyzerContext, fid: number | string, isOrig: boolean, h: DceRpcHeader, buf: Uint8Array, off: number, len: number): void {
    const t = h.ptype;
    // A fault logs nothing (as in Zeek) but answers a probe: the server does not have the operation.
    if (t === PDU_FAULT) {
      const s = this.fids.get(fid);
      const c = s?.pendingProbe?.callId === h.callId ? parseCallHeader(buf, off, len, h) : null;
      if (c !== null) this.probeAnswer(ctx, s!, isOrig, `fault 0x${(c.status ?? 0).toString(16).padStart(8, '0')}`, 'not_vulnerable');
      return;
    }
    if (t !== PDU_BIND && t !== PDU_ALTER_CONTEXT && t !== PDU_BIND_ACK && t !== PDU_ALTER_CONTEXT_RESP && t !== PDU_REQUEST && t !== PDU_RESPONSE) return;
    if (t === PDU_REQUEST || t === PDU_RESPONSE) {
      // Only a call's last fragment completes it; a last fragment whose first was not seen is dropped.
      const frags = isOrig ? this.state(ctx, fid, false)?.fragOrig : this.state(ctx, fid, false)?.fragResp;
      const first = (h.pfcFlags & PFC_FIRST_FRAG) !== 0;
      const last = (h.pfcFlags & PFC_LAST_FRAG) !== 0;
      if (!last) {
        if (first) {
          const s = this.state(ctx, fid, true)!;
          const f = isOrig ? s.fragOrig : s.fragResp;
          if (f.size >= MAX_FRAGMENTED) f.clear();
          f.add(h.callId);
        }
        return;
      }
      if (!first) {
        if (frags === undefined || !frags.delete(h.callId)) return;
      }
      const c = parseCallHeader(buf, off, len, h);
      if (c === null) return;
      if (t === PDU_REQUEST) {
        this.request(ctx, fid, c.ctxId, c.opnum);
        if (first) this.netlogonRequest(ctx, fid, c.ctxId, c.opnum, h, buf, off, len);
        if (first) this.srvsvcRequest(ctx, fid, isOrig, c.ctxId, c.opnum, h, buf, off, len);
      } else {
        const s = this.fids.get(fid);
        const opnum = s?.ctxOpnum.get(c.ctxId);
        this.response(ctx, fid, c.ctxId);
        if (first && s !== undefined && opnum !== undefined) this.netlogonResponse(ctx, s, c.ctxId, opnum, h, buf, off, len);
        if (s?.pendingProbe?.callId === h.callId) this.srvsvcResponse(ctx, s, isOrig, h, buf, off, len);
      }
      return;
    }
    const s = this.session(ctx, fid);
    if (t === PDU_BIND || t === PDU_ALTER_CONTEXT) {
      for (const pc of parseBindContexts(buf, off, len, h)) {
        boundedSet(s.ctxToUuid, pc.ctxId, pc.uuid);
        if (pc.ndr64) {
          if (s.ndr64.size < MAX_CONTEXTS) s.ndr64.add(pc.ctxId);
        } else s.ndr64.delete(pc.ctxId);
        s.uuid = pc.uuid;
        s.info.endpoint = endpointName(pc.uuid);
      }
    } else if (t === PDU_BIND_ACK) {
      const sec = parseBindAckSecAddr(buf, off, len, h);
      if (sec !== '') s.namedPipe = s.info.namedPipe = sec;
    }
  }

  /** An SMB pipe was closed: its state goes (Zeek forgets the fid on SMB2 CLOSE). */
  close(fid: number | string): void {
    const s = this.fids.get(fid);
    if (s === undefined) return;
    this.fids.delete(fid);
    if (this.current === s) this.current = null;
  }

  /** The connection ended: Zeek's finalize hook logs each fid's record once more if a call was left open. */
  end(ctx: AnalyzerContext): void {
    if (this.current === null) return;
    this.current = null;
    for (const s of this.fids.values()) {
      this.setState(s);
      this.pipeFallback(s);
      this.log(ctx, s);
    }
  }

  private state(ctx: AnalyzerContext, fid: number | string, create: boolean): FidState | undefined {
    let s = this.fids.get(fid);
    if (s === undefined && create) {
      if (this.fids.size >= MAX_FIDS) evictOldest(this.fids);
      s = new FidState(ctx.packet.tsSec, ctx.packet.tsNsec);
      this.fids.set(fid, s);
    }
    return s;
  }

  /** Zeek's set_session: the fid's record becomes the current one, refreshed from its state. */
  private session(ctx: AnalyzerContext, fid: number | string): FidState {
    const s = this.state(ctx, fid, true)!;
    this.current = s;
    this.setState(s);
    return s;
  }

  private setState(s: FidState): void {
    if (s.uuid !== undefined) s.info.endpoint = endpointName(s.uuid);
    if (s.namedPipe !== undefined) s.info.namedPipe = s.namedPipe;
  }

  private request(ctx: AnalyzerContext, fid: number | string, ctxId: number, opnum: number): void {
    const s = this.session(ctx, fid);
    s.info.tsSec = ctx.packet.tsSec;
    s.info.tsNsec = ctx.packet.tsNsec;
    s.info.packet = ctx.packet.packetNo;
    boundedSet(s.ctxOpnum, ctxId, opnum);
  }

  /**
   * A single-fragment netlogon request (the secure-channel setup calls are small): remember the
   * ReqChallenge's challenge, and the Authenticate request until its response.
   */
  private netlogonRequest(ctx: AnalyzerContext, fid: number | string, ctxId: number, opnum: number, h: DceRpcHeader, buf: Uint8Array, off: number, len: number): void {
    if (opnum !== OPNUM_REQ_CHALLENGE && opnum !== OPNUM_AUTHENTICATE && opnum !== OPNUM_AUTHENTICATE2 && opnum !== OPNUM_AUTHENTICATE3) return;
    const s = this.fids.get(fid);
    if (s === undefined || (s.ctxToUuid.get(ctxId) ?? s.uuid) !== NETLOGON_UUID) return;
    const stub = callStub(buf, off, len, h);
    if (stub === null || !h.littleEndian) return;
    const ndr64 = s.ndr64.has(ctxId);
    if (opnum === OPNUM_REQ_CHALLENGE) {
      const r = parseReqChallengeRequest(buf, stub.off, stub.end, ndr64);
      s.zeroChallenge = r === null ? undefined : r.zeroChallenge;
      return;
    }
    const req = parseAuthenticateRequest(buf, stub.off, stub.end, ndr64, opnum);
    const p = ctx.packet;
    s.pendingAuth = req === null ? null : { req, opnum, ctxId, packet: p.packetNo, tsSec: p.tsSec, tsNsec: p.tsNsec };
  }

  private netlogonResponse(ctx: AnalyzerContext, s: FidState, ctxId: number, opnum: number, h: DceRpcHeader, buf: Uint8Array, off: number, len: number): void {
    const a = s.pendingAuth;
    if (a === null || a.ctxId !== ctxId || a.opnum !== opnum) return;
    s.pendingAuth = null;
    const stub = callStub(buf, off, len, h);
    const status = stub === null || !h.littleEndian ? null : parseNetlogonStatus(buf, stub.off, stub.end, opnum);
    if (status === null) return;
    const ev: NetlogonAuthenticateEvent = {
      type: 'dce_rpc.netlogon_authenticate',
      tsSec: a.tsSec,
      tsNsec: a.tsNsec,
      packet: a.packet,
      response_packet: ctx.packet.packetNo,
      operation: operationName(NETLOGON_UUID, opnum),
      account: a.req.accountName,
      computer: a.req.computerName,
      secure_channel_type: a.req.secureChannelType,
      zero_credential: a.req.zeroCredential,
      status,
      status_name: ntStatusName(status),
    };
    if (s.zeroChallenge !== undefined) ev.zero_challenge = s.zeroChallenge;
    if (a.req.negotiateFlags !== undefined) ev.negotiate_flags = a.req.negotiateFlags;
    ctx.emit(ev);
  }

  /**
   * MS08-067's probe: NetprPathCanonicalize or NetprPathCompare on srvsvc with a path climbing out
   * of itself. Announced at once (unanswered, it is still an attempt), judged by its answer.
   */
  private srvsvcRequest(ctx: AnalyzerContext, fid: number | string, isOrig: boolean, ctxId: number, opnum: number, h: DceRpcHeader, buf: Uint8Array, off: number, len: number): void {
    if (opnum !== OPNUM_PATH_CANONICALIZE && opnum !== OPNUM_PATH_COMPARE) return;
    const s = this.fids.get(fid);
    if (s === undefined || (s.ctxToUuid.get(ctxId) ?? s.uuid) !== SRVSVC_UUID) return;
    const stub = callStub(buf, off, len, h);
    if (stub === null || !h.littleEndian) return;
    const path = parsePathRequest(buf, stub.off, stub.end, s.ndr64.has(ctxId));
    if (path === null || !climbs(path)) return;
    s.pendingProbe = { opnum, ctxId, callId: h.callId, packet: ctx.packet.packetNo };
    ctx.emit(probeSent('dce_rpc.exploit_probe', 'ms08-067-path', ctx, isOrig, { operation: operationName(SRVSVC_UUID, opnum), path: path.slice(0, PATH_KEPT), path_length: path.length }));
  }

  /** The probe's answer: nmap's reading of NetprPathCompare's WERROR; other answers say nothing either way. */
  private srvsvcResponse(ctx: AnalyzerContext, s: FidState, isOrig: boolean, h: DceRpcHeader, buf: Uint8Array, off: number, len: number): void {
    const stub = callStub(buf, off, len, h);
    const w = stub === null || !h.littleEndian ? null : parseWerror(buf, stub.off, stub.end);
    const compare = s.pendingProbe?.opnum === OPNUM_PATH_COMPARE;
    const verdict: ProbeVerdict = w === null || !compare ? 'unknown' : w === WERR_OK ? 'vulnerable' : w === WERR_INVALID_PARAMETER ? 'implant' : w === WERR_INVALID_NAME ? 'not_vulnerable' : 'unknown';
    this.probeAnswer(ctx, s, isOrig, w === null ? 'unreadable' : `WERROR 0x${w.toString(16).padStart(8, '0')}`, verdict);
  }

  private probeAnswer(ctx: AnalyzerContext, s: FidState, isOrig: boolean, status: string, verdict: ProbeVerdict): void {
    const p = s.pendingProbe!;
    s.pendingProbe = null;
    ctx.emit(probeAnswered('dce_rpc.exploit_probe', 'ms08-067-path', ctx, isOrig, status, verdict, p.packet, { operation: operationName(SRVSVC_UUID, p.opnum) }));
  }

  /** Without a bind, a known pipe name stands for its usual interface (named from the next PDU on). */
  private pipeFallback(s: FidState): void {
    if (s.info.endpoint === undefined && s.info.namedPipe !== undefined) {
      const u = pipeInterface(s.info.namedPipe);
      if (u !== undefined) s.uuid = u;
    }
  }

  private response(ctx: AnalyzerContext, fid: number | string, ctxId: number): void {
    const s = this.session(ctx, fid);
    const opnum = s.ctxOpnum.get(ctxId) ?? 0;
    this.pipeFallback(s);
    const p = ctx.packet;
    if (s.info.endpoint !== undefined && s.uuid !== undefined) {
      s.info.operation = operationName(s.uuid, opnum);
      s.opUuid = s.uuid;
      s.opnum = opnum;
      if (s.info.tsSec !== p.tsSec || s.info.tsNsec !== p.tsNsec) s.info.rttUs = Math.round((p.tsSec - s.info.tsSec) * 1e6 + (p.tsNsec - s.info.tsNsec) / 1e3);
    }
    const u = s.ctxToUuid.get(ctxId);
    if (u !== undefined) {
      s.info.endpoint = endpointName(u);
      s.info.operation = operationName(u, opnum);
      s.opUuid = u;
      s.opnum = opnum;
    }
    this.log(ctx, s);
    this.current = null;
  }

  private log(ctx: AnalyzerContext, s: FidState): void {
    const i = s.info;
    if (i.endpoint === undefined || i.operation === undefined) return;
    const ev: DceRpcCallEvent = {
      type: 'dce_rpc.call',
      tsSec: i.tsSec,
      tsNsec: i.tsNsec,
      endpoint: i.endpoint,
      operation: i.operation,
      uuid: s.opUuid ?? s.uuid ?? '',
      opnum: s.opnum,
      packet: i.packet > 0 ? i.packet : ctx.packet.packetNo,
      response_packet: ctx.packet.packetNo,
    };
    if (i.rttUs !== undefined) ev.rtt_us = i.rttUs;
    if (i.namedPipe !== undefined) ev.named_pipe = i.namedPipe;
    if (ignoredOperation(i.endpoint, i.operation)) ev.ignored = true;
    ctx.emit(ev);
  }
}
