// Per-flow DNP3 state. Each direction's bytes are cut into data link frames (at most one partial
// frame, 292 octets, is held); a frame whose header CRC fails is skipped by rescanning for the
// next start, one whose data block CRC fails is dropped with the fragment it belonged to (both
// weirds, as Zeek's dnp3_corrupt_*_checksum). Transport segments (IEEE 1815 §8.2) are joined
// FIR..FIN into an application fragment of at most 2048 octets (§4.2.2.1), in sequence.
//
// Pairing follows Zeek's base/protocols/dnp3/main.zeek: a request's function code waits for the
// next response, which completes and logs the pair; another request before it replaces it.
// Two deliberate differences. Zeek parses the originator's fragments as requests and the
// responder's as responses; here the function code decides (responses are 129..131, §4.2.2.5),
// so a flow whose outstation spoke first (UDP, a port Zeek does not know, an outstation that
// dials its master) still pairs right; on every Zeek baseline the two agree. And a command
// replaced by another request before its response is logged on its own first, so that every
// command issued appears in dnp3.log (a retry, with the same application sequence number,
// is the same command and is not).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { ResyncFramer } from '../resync-framer.js';
import type { Dnp3Transaction } from './events.js';
import type { AppFragment } from './parse.js';
import {
  CTRL_DIR,
  LINK_HEADER_LEN,
  LINK_LENGTH_MIN,
  MAX_FRAGMENT,
  MAX_LINK_FRAME,
  START_1,
  TP_FIN,
  TP_FIR,
  TP_SEQ,
  findStart,
  frameLength,
  isCommand,
  isResponseCode,
  objectName,
  parseFragment,
  parseFrame,
} from './parse.js';

/** frameLength's verdict on a header whose CRC fails. */
const BAD_HEADER_CRC = -2;
/** Link frames: 0x05 0x64, a 10-octet header with its CRC, at most 292 octets (IEEE 1815 §9.2.4). */
const FRAMING = { start: START_1, headerLen: LINK_HEADER_LEN, maxFrame: MAX_LINK_FRAME, lengthOf: frameLength, findStart };

/** Before the flow is confirmed, this many octets that are no frame end the analysis of a direction. */
const MAX_UNCONFIRMED_SKIP = 1024;
/** Distinct object types kept per request for the log. */
const MAX_LOGGED_OBJECTS = 16;
const SEQ_MOD = 64;

class Direction {
  framer!: ResyncFramer;
  readonly frag = new Uint8Array(MAX_FRAGMENT);
  fragLen = 0;
  /** A fragment is being reassembled (its FIR segment arrived). */
  inFrag = false;
  nextSeq = 0;
  skipped = 0;
  /** Link source address of the last frame. */
  linkSrc = 0;
}

interface Pending {
  fcRequest?: number;
  /** Application control octet: a retry repeats it (same sequence number, IEEE 1815 §4.2.2.4.4). */
  control?: number;
  objects?: string[];
}

export class Dnp3Analyzer implements FlowAnalyzer {
  private readonly dirs = [new Direction(), new Direction()];
  private confirmed = false;
  private pending: Pending | null = null;

  private ctx: AnalyzerContext | null = null;

  constructor(private readonly service: string) {
    this.dirs.forEach((d, i) => {
      d.framer = new ResyncFramer(FRAMING, {
        frame: (b, o, n) => {
          this.frame(this.ctx!, d, i === 0, b, o, n);
          return true;
        },
        damage: (n, code, first) => this.damage(this.ctx!, d, n, code, first),
      });
    });
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.dirs[isOrig ? 0 : 1].framer.push(buf, off, len);
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    const d = this.dirs[isOrig ? 0 : 1];
    d.framer.gap();
    d.inFrag = false;
    d.fragLen = 0;
  }

  end(ctx: AnalyzerContext): void {
    // Zeek's finalize_dnp3: a request still waiting for its reply is logged alone.
    if (this.pending !== null) this.emit(ctx, this.pending, undefined, undefined, 0);
    this.pending = null;
  }

  /** `n` octets were not a frame: a weird per damaged stretch, and the end of an unconfirmed flow. */
  private damage(ctx: AnalyzerContext, d: Direction, n: number, code: number, first: boolean): void {
    if (code === BAD_HEADER_CRC) ctx.weird('dnp3.corrupt_header_checksum');
    if (first) ctx.weird('dnp3.not_link_frame');
    d.skipped += n;
    if (!this.confirmed && d.skipped > MAX_UNCONFIRMED_SKIP) d.framer.broken = true;
  }

  /** One whole link frame (start, length and header CRC already checked). */
  private frame(ctx: AnalyzerContext, d: Direction, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm(this.service);
    }
    // Link-only frames (acknowledgements, link status, resets) carry no transport segment.
    if (buf[off + 2] === LINK_LENGTH_MIN) return;
    const f = parseFrame(buf, off, len);
    if (f === 'bad') return;
    if (f === 'bad_crc') {
      ctx.weird('dnp3.corrupt_app_chunk_checksum');
      d.inFrag = false;
      d.fragLen = 0;
      return;
    }
    // DIR is set on frames from the master; Zeek expects the master to be the originator.
    if (((f.ctrl & CTRL_DIR) !== 0) !== isOrig) ctx.weird('dnp3.unexpected_flow_direction');
    d.linkSrc = f.src;
    const th = f.data[0];
    const seq = th & TP_SEQ;
    if ((th & TP_FIR) !== 0) {
      if (d.inFrag) ctx.weird('dnp3.fragment_restarted');
      d.inFrag = true;
      d.fragLen = 0;
    } else if (!d.inFrag) {
      ctx.weird('dnp3.first_application_layer_chunk_missing');
      return;
    } else if (seq !== d.nextSeq) {
      ctx.weird('dnp3.transport_sequence');
      d.inFrag = false;
      d.fragLen = 0;
      return;
    }
    d.nextSeq = (seq + 1) % SEQ_MOD;
    const n = f.data.length - 1;
    if (d.fragLen + n > MAX_FRAGMENT) {
      ctx.weird('dnp3.fragment_too_large');
      d.inFrag = false;
      d.fragLen = 0;
      return;
    }
    d.frag.set(f.data.subarray(1), d.fragLen);
    d.fragLen += n;
    if ((th & TP_FIN) === 0) return;
    d.inFrag = false;
    const fragLen = d.fragLen;
    d.fragLen = 0;
    this.fragment(ctx, d, isOrig, fragLen);
  }

  /** A reassembled application fragment: requests wait, responses complete the pair. */
  private fragment(ctx: AnalyzerContext, d: Direction, isOrig: boolean, len: number): void {
    // The function code says which it is (IEEE 1815 §4.2.2.5: 129..131 are responses).
    const response = len >= 2 && isResponseCode(d.frag[1]);
    const a = parseFragment(d.frag, 0, len, response);
    if (a === 'bad') {
      ctx.weird('dnp3.short_application_header');
      return;
    }
    if (!response) {
      const p = this.pending;
      if (p !== null && p.fcRequest !== undefined && isCommand(p.fcRequest) && !(p.fcRequest === a.fc && p.control === a.control)) {
        this.emit(ctx, p, undefined, undefined, 0);
      }
      const names: string[] = [];
      for (const h of a.objects) {
        const name = objectName(h);
        if (!names.includes(name) && names.length < MAX_LOGGED_OBJECTS) names.push(name);
      }
      this.pending = { fcRequest: a.fc, control: a.control, objects: names };
      return;
    }
    const req = this.pending ?? {};
    this.pending = null;
    this.emit(ctx, req, a, isOrig ? 'orig' : 'resp', d.linkSrc);
  }

  private emit(ctx: AnalyzerContext, req: Pending, reply: AppFragment | undefined, outstation: 'orig' | 'resp' | undefined, outstationAddr: number): void {
    const m = ctx.packet;
    const ev: Dnp3Transaction = { type: 'dnp3.transaction', ts_sec: m.tsSec, ts_nsec: m.tsNsec, packet: m.packetNo };
    if (req.fcRequest !== undefined) {
      ev.fc_request = req.fcRequest;
      if (req.objects !== undefined && req.objects.length > 0) ev.objects = req.objects;
      if (isCommand(req.fcRequest)) ev.command = true;
    }
    if (reply !== undefined) {
      ev.fc_reply = reply.fc;
      ev.iin = reply.iin;
    }
    if (outstation !== undefined) {
      ev.outstation = outstation;
      ev.outstation_addr = outstationAddr;
    }
    ctx.emit(ev);
  }
}
