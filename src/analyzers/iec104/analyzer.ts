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
import type { Iec104Apdu } from './events.js';
import { START, apduLength, findStart, fromOutstation, isCommand, parseApdu, type Apdu } from './parse.js';

/** Start, length and 253 octets: the largest APDU. */
const MAX_APDU = 255;
/** Before the flow is confirmed, this many bytes that are no APDU end the analysis of a direction. */
const MAX_UNCONFIRMED_SKIP = 1024;
/** A run of identical APDUs is logged at least this often (seconds), so a long one shows it goes on. */
export const RUN_WINDOW_SEC = 300;

class Direction {
  /** Bytes of an APDU that has not fully arrived (at most MAX_APDU). */
  readonly held = new Uint8Array(MAX_APDU);
  heldLen = 0;
  /** Scanning for the next start octet after damage or a gap. */
  lost = false;
  skipped = 0;
  broken = false;
  /** The run's key (see runKey), when its first APDU was logged, and its repeats since. */
  runKey = '';
  runStart = 0;
  repeats: Iec104Apdu | null = null;
}

export class Iec104Analyzer implements FlowAnalyzer {
  private readonly dirs = [new Direction(), new Direction()];
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const d = this.dirs[isOrig ? 0 : 1];
    if (d.broken) return;
    let p = off;
    const end = off + len;
    if (d.heldLen > 0) {
      // Complete the held APDU from the new bytes (its length octet may be among them).
      let total = apduLength(d.held, 0, d.heldLen);
      while (p < end && total >= 0 && (total === 0 || d.heldLen < total)) {
        const take = Math.min((total === 0 ? 2 : total) - d.heldLen, end - p);
        d.held.set(buf.subarray(p, p + take), d.heldLen);
        d.heldLen += take;
        p += take;
        total = apduLength(d.held, 0, d.heldLen);
      }
      if (total < 0) {
        d.heldLen = 0;
        this.damage(ctx, d, 1);
      } else if (total > 0 && d.heldLen === total) {
        d.heldLen = 0;
        if (!this.apdu(ctx, d, isOrig, d.held, 0, total)) {
          // Not an APDU after all: rescan its bytes after the start octet, then the rest.
          this.data(ctx, isOrig, d.held.slice(1, total), 0, total - 1);
          if (p < end) this.data(ctx, isOrig, buf, p, end - p);
          return;
        }
      } else return;
    }
    while (p < end && !d.broken) {
      if (d.lost || buf[p] !== START) {
        const s = findStart(buf, p, end - p);
        const skip = (s < 0 ? end : s) - p;
        if (skip > 0) this.damage(ctx, d, skip);
        if (s < 0) return;
        p = s;
      }
      const total = apduLength(buf, p, end - p);
      if (total < 0) {
        this.damage(ctx, d, 1);
        p++;
        continue;
      }
      if (total === 0 || end - p < total) {
        d.held.set(buf.subarray(p, end), 0);
        d.heldLen = end - p;
        return;
      }
      if (this.apdu(ctx, d, isOrig, buf, p, total)) p += total;
      else p++;
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    const d = this.dirs[isOrig ? 0 : 1];
    d.heldLen = 0;
    d.lost = true;
    this.flush(ctx, d);
  }

  end(ctx: AnalyzerContext): void {
    for (const d of this.dirs) this.flush(ctx, d);
  }

  /** `n` bytes were not an APDU: a weird per damaged stretch, and the end of an unconfirmed flow. */
  private damage(ctx: AnalyzerContext, d: Direction, n: number): void {
    if (!d.lost) ctx.weird('iec104.not_apdu');
    d.lost = true;
    d.skipped += n;
    if (!this.confirmed && d.skipped > MAX_UNCONFIRMED_SKIP) {
      d.broken = true;
    }
  }

  /** Handles one framed APDU; false when its control field shows it is none. */
  private apdu(ctx: AnalyzerContext, d: Direction, isOrig: boolean, buf: Uint8Array, off: number, len: number): boolean {
    const r = parseApdu(buf, off, len);
    if (r === 'bad') {
      // A start octet and length but an invalid control field: the caller rescans after it.
      this.damage(ctx, d, 1);
      return false;
    }
    d.lost = false;
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
