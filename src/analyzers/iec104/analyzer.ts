// Per-flow IEC 60870-5-104 state: frames APDUs out of each direction's stream (at most one
// partial APDU, 255 bytes, is kept), resynchronises on the next plausible start octet after
// bytes that are not an APDU, and emits one event per APDU.
//
// Log volume: the Zeek IEC 104 plugins (georgemakrakis/zeek-iec104's iec104.log, DINA-community's
// 104.log; Zeek itself and CISA's icsnpp ship none) write one line per APDU. An outstation
// reporting spontaneously, and the S-frame acknowledgements and TESTFR keep-alives around it, can
// do that hundreds of times a second for weeks. Here, in a run of consecutive APDUs in one
// direction that would log identically (same format, U function, type, cause, flags, object
// count, common address), the first is emitted at once and its repeats become one event with
// `count`, dated by the first repeat, when something different arrives, after RUN_WINDOW_SEC, at
// a gap or at the connection's end. Commands are never folded: each one issued is its own line,
// since who operated what, and when, is the security question.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { ResyncFramer } from '../resync-framer.js';
import type { Iec104Apdu } from './events.js';
import { START, apduLength, findStart, fromOutstation, isCommand, parseApdu, type Apdu } from './parse.js';

/** Start, length and 253 octets: the largest APDU. */
const MAX_APDU = 255;
/** APDUs: 0x68, a length octet, then that many (IEC 60870-5-104 §5.1). */
const FRAMING = { start: START, headerLen: 2, maxFrame: MAX_APDU, lengthOf: apduLength, findStart };
/** Before the flow is confirmed, this many bytes that are no APDU end the analysis of a direction. */
const MAX_UNCONFIRMED_SKIP = 1024;
/** A run of identical APDUs is logged at least this often (seconds), so a long one shows it goes on. */
export const RUN_WINDOW_SEC = 300;

class Direction {
  framer!: ResyncFramer;
  skipped = 0;
  /** The run's key (see runKey), when its first APDU was logged, and its repeats since. */
  runKey = '';
  runStart = 0;
  repeats: Iec104Apdu | null = null;
}

export class Iec104Analyzer implements FlowAnalyzer {
  private readonly dirs = [new Direction(), new Direction()];
  private confirmed = false;
  private ctx: AnalyzerContext | null = null;

  constructor() {
    this.dirs.forEach((d, i) => {
      d.framer = new ResyncFramer(FRAMING, {
        frame: (b, o, n) => this.apdu(this.ctx!, d, i === 0, b, o, n),
        damage: (n, _code, first) => this.damage(this.ctx!, d, n, first),
      });
    });
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.dirs[isOrig ? 0 : 1].framer.push(buf, off, len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    const d = this.dirs[isOrig ? 0 : 1];
    d.framer.gap();
    this.flush(ctx, d);
  }

  end(ctx: AnalyzerContext): void {
    for (const d of this.dirs) this.flush(ctx, d);
  }

  /** `n` bytes were not an APDU: a weird per damaged stretch, and the end of an unconfirmed flow. */
  private damage(ctx: AnalyzerContext, d: Direction, n: number, first: boolean): void {
    if (first) ctx.weird('iec104.not_apdu');
    d.skipped += n;
    if (!this.confirmed && d.skipped > MAX_UNCONFIRMED_SKIP) d.framer.broken = true;
  }

  /** Handles one framed APDU; false when its control field shows it is none. */
  private apdu(ctx: AnalyzerContext, d: Direction, isOrig: boolean, buf: Uint8Array, off: number, len: number): boolean {
    const r = parseApdu(buf, off, len);
    // A start octet and length but an invalid control field: the framer rescans after it.
    if (r === 'bad') return false;
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('iec104');
    }
    const m = ctx.packet;
    const ev = toEvent(r, isOrig, m.tsSec, m.tsNsec, m.packetNo);
    if (ev.command === true) {
      this.flush(ctx, d);
      ctx.emit(ev);
      return true;
    }
    const key = runKey(ev);
    if (key === d.runKey && m.tsSec - d.runStart < RUN_WINDOW_SEC) {
      if (d.repeats === null) d.repeats = ev;
      else d.repeats.count++;
      return true;
    }
    this.flush(ctx, d);
    ctx.emit(ev);
    d.runKey = key;
    d.runStart = m.tsSec;
    return true;
  }

  /** Ends the direction's run: its repeats, if any, become one event with their count. */
  private flush(ctx: AnalyzerContext, d: Direction): void {
    if (d.repeats !== null) ctx.emit(d.repeats);
    d.repeats = null;
    d.runKey = '';
  }
}

function toEvent(r: Apdu, isOrig: boolean, tsSec: number, tsNsec: number, packet: number): Iec104Apdu {
  const ev: Iec104Apdu = { type: 'iec104.apdu', is_orig: isOrig, apci_type: r.format, count: 1, ts_sec: tsSec, ts_nsec: tsNsec, packet };
  if (r.uFunc !== undefined) {
    ev.u_func = r.uFunc;
    if (r.uFunc === 'STARTDT_con' || r.uFunc === 'STOPDT_con') ev.outstation = true;
  }
  if (r.tx !== undefined) ev.tx = r.tx;
  if (r.rx !== undefined) ev.rx = r.rx;
  const a = r.asdu;
  if (a !== undefined) {
    ev.type_id = a.typeId;
    ev.cot = a.cot;
    ev.negative = a.negative;
    ev.test = a.test;
    ev.sq = a.sq;
    ev.num_objects = a.numObjects;
    ev.originator = a.originator;
    ev.asdu_addr = a.commonAddr;
    if (a.ioa !== undefined) ev.ioa = a.ioa;
    if (isCommand(a.typeId, a.cot)) ev.command = true;
    if (fromOutstation(a.typeId, a.cot)) ev.outstation = true;
  }
  return ev;
}

/** What makes two APDUs log the same line (sequence numbers and object addresses aside). */
function runKey(e: Iec104Apdu): string {
  return `${e.apci_type} ${e.u_func} ${e.type_id} ${e.cot} ${e.negative} ${e.test} ${e.sq} ${e.num_objects} ${e.originator} ${e.asdu_addr}`;
}
