// Per-flow DICOM state (PS3.8 §9): streams PDUs per direction without buffering large
// P-DATA PDUs, reassembles each DIMSE command set and the first bytes of each data set from
// their PDV fragments, and tracks the one association a TCP connection carries (PS3.8 §9.1).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import { secretDigest } from '../secret.js';
import {
  MCH_COMMAND,
  MCH_LAST,
  PDU_ABORT,
  PDU_ASSOCIATE_AC,
  PDU_ASSOCIATE_RJ,
  PDU_ASSOCIATE_RQ,
  PDU_HEADER_LEN,
  PDU_P_DATA_TF,
  PDU_RELEASE_RP,
  PDU_RELEASE_RQ,
  PDV_HEADER_LEN,
  encodingOf,
  parseAbort,
  parseAssociate,
  parseCommand,
  parsePduHeader,
  parseReject,
  rejectText,
  scanDataSet,
  statusText,
  type Associate,
  type Encoding,
} from './parse.js';
import { PDV_HEADER_END, looksLikePdu, pduJudgeLength } from './probe.js';
import { modalitiesOf, sopClassName } from './uids.js';
import type { DicomAssociation } from './events.js';

/** Association-control PDUs larger than this are skipped (real ones are a few KiB). */
const MAX_CONTROL_PDU = 256 * 1024;
/** Bytes of a command set kept (real ones are ~200 bytes). */
const MAX_COMMAND = 4096;
/** Bytes of a data set kept for the patient-tag scan (group 0010 comes early). */
const MAX_DATASET_PREFIX = 64 * 1024;
/** Distinct command names listed per association. */
const MAX_COMMAND_NAMES = 32;
const USER_IDENTITY_TYPES = ['', 'username', 'username_and_passcode', 'kerberos', 'saml', 'jwt'];

class Chunks {
  buf = new Uint8Array(0);
  len = 0;
  /** More bytes arrived than were kept. */
  over = false;
  constructor(private readonly cap: number) {}
  add(b: Uint8Array, off: number, n: number): void {
    const take = Math.min(n, this.cap - this.len);
    if (take < n) this.over = true;
    if (take <= 0) return;
    if (this.len + take > this.buf.length) {
      const nb = new Uint8Array(Math.min(this.cap, Math.max(this.len + take, this.buf.length * 2, 256)));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(b.subarray(off, off + take), this.len);
    this.len += take;
  }
  reset(): void {
    this.len = 0;
    this.over = false;
  }
}

class Side {
  hdr = new Uint8Array(PDU_HEADER_LEN);
  hdrLen = 0;
  pduType = 0;
  /** Bytes of the current PDU body still to come. */
  pduRemain = 0;
  /** Non-P-DATA PDU body being collected (null when skipping an oversized one). */
  body: Uint8Array | null = null;
  bodyLen = 0;
  pdvHdr = new Uint8Array(PDV_HEADER_LEN);
  pdvHdrLen = 0;
  pdvRemain = 0;
  pdvCtx = 0;
  pdvMch = 0;
  cmd = new Chunks(MAX_COMMAND);
  ds = new Chunks(MAX_DATASET_PREFIX);
  /** A data set follows the last command on this side. */
  dsExpected = false;
  dsCommand = '';
  /** The SOP class the last command named (for a query: patient root, study root, worklist …). */
  dsSop = '';
  dsScanned = false;
  /**
   * Out of sync: wait for a chunk that starts a PDU. So a side starts, since its first chunk may
   * be inside a PDU (the capture began mid-association, or the analyzer started on the other
   * side's PDU); after a gap or a malformed PDU it is set again.
   */
  lost = true;
  /** While lost: the first bytes of a delivery that may start a PDU, gathered until they can be judged. */
  head = new Uint8Array(PDV_HEADER_END);
  headLen = 0;
}

export class DicomAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private rq: Associate | null = null;
  private ac: Associate | null = null;
  private result = '';
  private endText = '';
  private tsSec = 0;
  private tsNsec = 0;
  private started = false;
  private done = false;
  private announced = false;
  private readonly commands: string[] = [];
  private failed = 0;
  private readonly phiTags: string[] = [];
  /** Accepted transfer syntax per presentation context id. */
  private readonly ctxTs = new Map<number, string>();

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.lost) {
      if (s.headLen === 0 && looksLikePdu(buf, off, len)) {
        this.resetPdu(s);
        s.lost = false;
      } else {
        // A PDU's start may come in pieces smaller than its header: gather them (a few bytes)
        // until they can be judged, then read them and the rest of this delivery as a PDU's.
        const from = this.resync(s, buf, off, len);
        if (from < 0) return;
        const head = s.head.slice(0, s.headLen);
        s.headLen = 0;
        this.resetPdu(s);
        s.lost = false;
        this.data(ctx, isOrig, head, 0, head.length);
        if (from < off + len) this.data(ctx, isOrig, buf, from, off + len - from);
        return;
      }
    }
    const end = off + len;
    let p = off;
    while (p < end && !s.lost) {
      if (s.hdrLen < PDU_HEADER_LEN) {
        const n = Math.min(PDU_HEADER_LEN - s.hdrLen, end - p);
        s.hdr.set(buf.subarray(p, p + n), s.hdrLen);
        s.hdrLen += n;
        p += n;
        if (s.hdrLen < PDU_HEADER_LEN) return;
        const h = parsePduHeader(s.hdr, 0, PDU_HEADER_LEN);
        if (typeof h === 'string') {
          ctx.weird('dicom.bad_pdu_type');
          s.lost = true;
          return;
        }
        s.pduType = h.type;
        s.pduRemain = h.length;
        s.pdvHdrLen = 0;
        s.pdvRemain = 0;
        if (h.type !== PDU_P_DATA_TF) {
          if (h.length > MAX_CONTROL_PDU) {
            ctx.weird('dicom.oversized_pdu');
            s.body = null;
          } else s.body = new Uint8Array(h.length);
          s.bodyLen = 0;
        }
        if (s.pduRemain === 0) this.pduDone(ctx, isOrig, s);
        continue;
      }
      if (s.pduType === PDU_P_DATA_TF) p = this.pdata(ctx, isOrig, s, buf, p, end);
      else {
        const n = Math.min(s.pduRemain, end - p);
        if (s.body !== null) s.body.set(buf.subarray(p, p + n), s.bodyLen);
        s.bodyLen += n;
        s.pduRemain -= n;
        p += n;
        if (s.pduRemain === 0) this.pduDone(ctx, isOrig, s);
      }
    }
  }

  /**
   * Adds the delivery's first bytes to the lost side's gathered head; returns where the delivery's
   * unused bytes start once the head makes a PDU's start, or -1 (wait for more, or not a PDU's start:
   * the head is dropped and the side stays lost).
   */
  private resync(s: Side, buf: Uint8Array, off: number, len: number): number {
    const need = pduJudgeLength(s.headLen > 0 ? s.head : buf, s.headLen > 0 ? 0 : off, s.headLen > 0 ? s.headLen : len);
    if (need === 0) {
      s.headLen = 0;
      return -1;
    }
    const n = Math.min(need - s.headLen, len);
    s.head.set(buf.subarray(off, off + n), s.headLen);
    s.headLen += n;
    if (pduJudgeLength(s.head, 0, s.headLen) === 0) {
      s.headLen = 0;
      return -1;
    }
    if (s.headLen < need) return -1;
    if (!looksLikePdu(s.head, 0, s.headLen)) {
      s.headLen = 0;
      return -1;
    }
    return off + n;
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    const s = this.sides[isOrig ? 0 : 1];
    s.lost = true;
    s.headLen = 0;
    s.cmd.reset();
    s.ds.reset();
    s.dsExpected = false;
    ctx.weird('dicom.content_gap');
  }

  end(ctx: AnalyzerContext): void {
    for (let i = 0; i < 2; i++) this.finishDataSet(ctx, i === 0, this.sides[i]);
    if (!this.started || this.done) return;
    if (this.endText === '') this.endText = 'connection-closed';
    this.finish(ctx);
  }

  private resetPdu(s: Side): void {
    s.hdrLen = 0;
    s.pduRemain = 0;
    s.pdvHdrLen = 0;
    s.pdvRemain = 0;
    s.body = null;
  }

  /** Consumes P-DATA-TF bytes from p; returns the new position. */
  private pdata(ctx: AnalyzerContext, isOrig: boolean, s: Side, buf: Uint8Array, p: number, end: number): number {
    while (p < end && s.pduRemain > 0) {
      if (s.pdvRemain === 0 && s.pdvHdrLen < PDV_HEADER_LEN) {
        const n = Math.min(PDV_HEADER_LEN - s.pdvHdrLen, end - p, s.pduRemain);
        s.pdvHdr.set(buf.subarray(p, p + n), s.pdvHdrLen);
        s.pdvHdrLen += n;
        s.pduRemain -= n;
        p += n;
        if (s.pdvHdrLen < PDV_HEADER_LEN) {
          if (s.pduRemain === 0) {
            ctx.weird('dicom.truncated_pdv');
            s.lost = true;
          }
          return p;
        }
        const h = s.pdvHdr;
        const itemLen = ((h[0] << 24) >>> 0) + (h[1] << 16) + (h[2] << 8) + h[3];
        // The item length counts the context id and control header (PS3.8 §9.3.5.1).
        if (itemLen < 2 || itemLen - 2 > s.pduRemain) {
          ctx.weird('dicom.bad_pdv_length');
          s.lost = true;
          return end;
        }
        s.pdvCtx = h[4];
        s.pdvMch = h[5];
        s.pdvRemain = itemLen - 2;
        if (s.pdvRemain === 0) this.fragmentDone(ctx, isOrig, s);
        continue;
      }
      const n = Math.min(s.pdvRemain, end - p);
      if (s.pdvMch & MCH_COMMAND) s.cmd.add(buf, p, n);
      else {
        s.ds.add(buf, p, n);
        if (s.ds.over && !s.dsScanned) this.finishDataSet(ctx, isOrig, s);
      }
      s.pdvRemain -= n;
      s.pduRemain -= n;
      p += n;
      if (s.pdvRemain === 0) this.fragmentDone(ctx, isOrig, s);
    }
    if (s.pduRemain === 0) this.resetPdu(s);
    return p;
  }

  private fragmentDone(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    s.pdvHdrLen = 0;
    if (!(s.pdvMch & MCH_LAST)) return;
    if (s.pdvMch & MCH_COMMAND) {
      this.commandDone(ctx, isOrig, s);
      s.cmd.reset();
    } else {
      this.finishDataSet(ctx, isOrig, s);
      s.ds.reset();
      s.dsScanned = false;
      s.dsExpected = false;
    }
  }

  private commandDone(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    this.finishDataSet(ctx, isOrig, s);
    s.ds.reset();
    s.dsScanned = false;
    const c = parseCommand(s.cmd.buf, 0, s.cmd.len);
    if (typeof c === 'string') {
      ctx.weird('dicom.bad_command_set');
      s.dsExpected = false;
      return;
    }
    if (!this.started) this.begin(ctx);
    ctx.confirm('dicom');
    s.dsExpected = c.hasDataSet;
    s.dsCommand = c.name;
    s.dsSop = c.sopClass ?? '';
    const base = c.name.replace(/-(RQ|RSP)$/, '');
    if (c.name.endsWith('-RQ') && !this.commands.includes(base) && this.commands.length < MAX_COMMAND_NAMES) this.commands.push(base);
    if (c.status !== undefined && statusText(c.status) === 'failure') this.failed++;
    const ev: Record<string, unknown> = { type: 'dicom.command', is_orig: isOrig, command: c.name };
    if (c.sopClass !== undefined) ev.sop_class = c.sopClass;
    if (c.messageId !== undefined) ev.message_id = c.messageId;
    if (c.moveDestination !== undefined) ev.move_destination = c.moveDestination;
    if (c.status !== undefined) {
      ev.status = c.status;
      ev.status_text = statusText(c.status);
    }
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev as { type: string });
  }

  /** Scans what was kept of the current data set once (at its end or when the cap is hit). */
  private finishDataSet(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    if (s.dsScanned || s.ds.len === 0) return;
    s.dsScanned = true;
    let enc: Encoding | null;
    const ts = this.ctxTs.get(s.pdvCtx);
    if (ts !== undefined) enc = encodingOf(ts);
    else enc = guessEncoding(s.ds.buf, s.ds.len);
    if (enc === null) return;
    const r = scanDataSet(s.ds.buf, 0, s.ds.len, enc);
    if (r.malformed) ctx.weird('dicom.malformed_data_set');
    if (s.dsCommand === 'C-FIND-RQ' && isOrig) {
      // The query's shape, never its values: the level, how many keys, whether any narrows.
      const q: Record<string, unknown> = { type: 'dicom.query', level: r.level, keys: r.keys, narrowed: r.narrowed };
      if (s.dsSop !== '') q.sop_class = s.dsSop;
      q.packet = ctx.packet.packetNo;
      ctx.emit(q as { type: string });
    }
    if (r.patientTags.length === 0) return;
    for (const t of r.patientTags) if (!this.phiTags.includes(t) && this.phiTags.length < 64) this.phiTags.push(t);
    const c = ctx.conn;
    const ev: Record<string, unknown> = {
      type: 'dicom.phi',
      sender: isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3),
      is_orig: isOrig,
      tags: r.patientTags,
    };
    if (s.dsCommand !== '') ev.command = s.dsCommand;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev as { type: string });
  }

  private begin(ctx: AnalyzerContext): void {
    this.started = true;
    this.tsSec = ctx.packet.tsSec;
    this.tsNsec = ctx.packet.tsNsec;
  }

  private pduDone(ctx: AnalyzerContext, isOrig: boolean, s: Side): void {
    const type = s.pduType;
    const body = s.body;
    const n = s.bodyLen;
    this.resetPdu(s);
    if (type === PDU_P_DATA_TF || body === null || this.done) return;
    if (type === PDU_ASSOCIATE_RQ || type === PDU_ASSOCIATE_AC) {
      const a = parseAssociate(type, body, 0, n);
      if (typeof a === 'string') {
        ctx.weird('dicom.bad_associate');
        return;
      }
      if (type === PDU_ASSOCIATE_RQ) {
        if (!isOrig) ctx.weird('dicom.associate_rq_from_responder');
        this.begin(ctx);
        this.rq = a;
        ctx.confirm('dicom');
        this.credential(ctx, body, n);
      } else {
        this.ac = a;
        if (!this.started) this.begin(ctx);
        ctx.confirm('dicom');
        this.result = 'accepted';
        for (const pc of a.contexts) {
          if (pc.result === 0 && pc.transferSyntaxes.length > 0) this.ctxTs.set(pc.id, pc.transferSyntaxes[0]);
        }
        this.announce(ctx, true);
      }
    } else if (type === PDU_ASSOCIATE_RJ) {
      const r = parseReject(body, 0, n);
      if (typeof r === 'string') {
        ctx.weird('dicom.bad_reject');
        return;
      }
      if (!this.started) this.begin(ctx);
      this.result = rejectText(r);
      this.endText = 'rejected';
      this.announce(ctx, false);
      this.finish(ctx);
    } else if (type === PDU_RELEASE_RQ) {
      if (this.endText === '') this.endText = 'release-requested';
    } else if (type === PDU_RELEASE_RP) {
      if (!this.started) return;
      this.endText = 'released';
      this.finish(ctx);
    } else if (type === PDU_ABORT) {
      const a = parseAbort(body, 0, n);
      if (!this.started) return;
      this.endText = typeof a === 'string' ? 'aborted' : a.source === 2 ? 'aborted-by-provider' : 'aborted-by-user';
      this.finish(ctx);
    }
  }

  /** User identity type 2 carries a passcode in clear: keep only its digest. */
  private credential(ctx: AnalyzerContext, body: Uint8Array, n: number): void {
    const a = this.rq;
    if (a === null || a.userIdentityType !== 2 || a.userIdentitySecret === undefined) return;
    const sec = body.subarray(a.userIdentitySecret[0], Math.min(n, a.userIdentitySecret[0] + a.userIdentitySecret[1]));
    const c = ctx.conn;
    ctx.emit({
      type: 'dicom.credential',
      server: formatAddr(c.r0, c.r1, c.r2, c.r3),
      server_p: c.rPort,
      user: a.userIdentityUser ?? '',
      secret: secretDigest(sec),
      packet: ctx.packet.packetNo,
    });
  }

  private announce(ctx: AnalyzerContext, accepted: boolean): void {
    if (this.announced) return;
    this.announced = true;
    const c = ctx.conn;
    const rq = this.rq;
    const abs = uniq(rq?.contexts.map((pc) => pc.abstractSyntax ?? '') ?? []);
    const ev: Record<string, unknown> = {
      type: 'dicom.associate',
      scu: formatAddr(c.o0, c.o1, c.o2, c.o3),
      scp: formatAddr(c.r0, c.r1, c.r2, c.r3),
      scp_p: c.rPort,
      calling_ae: rq?.callingAe ?? this.ac?.callingAe ?? '',
      called_ae: rq?.calledAe ?? this.ac?.calledAe ?? '',
      accepted,
      result: this.result,
      abstract_syntaxes: abs,
      sop_classes: abs.map((u) => sopClassName(u)).filter((x): x is string => x !== undefined),
      modalities: modalitiesOf(abs),
    };
    if (rq?.implementationClassUid !== undefined) ev.scu_implementation_class_uid = rq.implementationClassUid;
    if (rq?.implementationVersion !== undefined) ev.scu_implementation_version = rq.implementationVersion;
    if (this.ac?.implementationClassUid !== undefined) ev.scp_implementation_class_uid = this.ac.implementationClassUid;
    if (this.ac?.implementationVersion !== undefined) ev.scp_implementation_version = this.ac.implementationVersion;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev as { type: string });
    if (rq?.implementationVersion) {
      ctx.emit({ type: 'software', host: ev.scu, software_type: 'DICOM::CLIENT', unparsed_version: rq.implementationVersion });
    }
    if (this.ac?.implementationVersion) {
      ctx.emit({ type: 'software', host: ev.scp, host_p: c.rPort, software_type: 'DICOM::SERVER', unparsed_version: this.ac.implementationVersion });
    }
  }

  private finish(ctx: AnalyzerContext): void {
    if (this.done) return;
    this.done = true;
    if (!this.announced && this.rq !== null) {
      if (this.result === '') this.result = 'no-response';
      this.announce(ctx, false);
    }
    const rq = this.rq;
    const ac = this.ac;
    const ev: DicomAssociation = {
      type: 'dicom.association',
      tsSec: this.tsSec,
      tsNsec: this.tsNsec,
      abstract_syntaxes: uniq(rq?.contexts.map((pc) => pc.abstractSyntax ?? '') ?? []),
      transfer_syntaxes: uniq(rq?.contexts.flatMap((pc) => pc.transferSyntaxes) ?? []),
      accepted_transfer_syntaxes: uniq([...this.ctxTs.values()]),
      commands: this.commands,
      failed_commands: this.failed,
      result: this.result === '' ? (rq === null ? 'unknown' : 'no-response') : this.result,
      end: this.endText,
      phi: this.phiTags.length > 0,
      phi_tags: this.phiTags,
    };
    const ids = rq ?? ac;
    if (ids !== null) {
      ev.calling_ae = ids.callingAe;
      ev.called_ae = ids.calledAe;
      if (ids.applicationContext) ev.application_context = ids.applicationContext;
    }
    if (rq?.implementationClassUid !== undefined) ev.implementation_class_uid = rq.implementationClassUid;
    if (rq?.implementationVersion !== undefined) ev.implementation_version = rq.implementationVersion;
    if (ac?.implementationClassUid !== undefined) ev.responder_implementation_class_uid = ac.implementationClassUid;
    if (ac?.implementationVersion !== undefined) ev.responder_implementation_version = ac.implementationVersion;
    if (rq?.userIdentityType !== undefined) ev.user_identity_type = USER_IDENTITY_TYPES[rq.userIdentityType] ?? `type-${rq.userIdentityType}`;
    ctx.emit(ev);
  }
}

function uniq(a: string[]): string[] {
  const out: string[] = [];
  for (const x of a) if (x !== '' && !out.includes(x)) out.push(x);
  return out;
}

/** Without the accepted context (capture started mid-association): explicit VR has letters at 4..5. */
function guessEncoding(b: Uint8Array, n: number): Encoding {
  if (n >= 6 && b[4] >= 0x41 && b[4] <= 0x5a && b[5] >= 0x41 && b[5] <= 0x5a) return 'explicit_le';
  return 'implicit_le';
}
