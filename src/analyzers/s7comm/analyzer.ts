// Per-flow S7 state: TPKT framing of each direction (bounded), COTP DT reassembly up to the
// end-of-TSDU mark (bounded), then S7comm or S7comm-plus PDUs. A SZL response split over
// several user-data units (data unit reference, "more follows") is joined before its identity
// lists are read.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduStream, type PduSink } from '../framing.js';
import { respHost } from '../connid.js';
import { secretDigest } from '../secret.js';
import { COTP_DT, S7PLUS_PROTOCOL_ID, S7_PROTOCOL_ID, parseS7, parseS7Plus, parseTpdu, szlIdentity, tpktFrameLength, userDataItem, type S7Pdu } from './parse.js';
import { ROSCTR_USERDATA } from './names.js';
import type { S7commMessage, S7commPlusMessage } from './events.js';

const MAX_TPKT = 65535;
/** Largest TSDU (COTP reassembly) and SZL answer kept. */
const MAX_TSDU = 65536;

class Pending {
  constructor(
    readonly ref: number,
    public data: Uint8Array,
    readonly szl: Pick<S7Pdu, 'szl_id' | 'szl_name' | 'szl_index'>,
  ) {}
}

export class S7commAnalyzer implements FlowAnalyzer, PduSink {
  private readonly streams = [new PduStream(MAX_TPKT), new PduStream(MAX_TPKT)];
  private readonly tsdu: Uint8Array[][] = [[], []];
  private readonly tsduLen = [0, 0];
  private readonly szl: (Pending | null)[] = [null, null];
  private ctx: AnalyzerContext | null = null;
  private isOrig = true;
  private cotp = false;
  private s7 = false;
  private s7plus = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    this.isOrig = isOrig;
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    if (!s.feed(buf, off, len, this)) ctx.weird('s7comm.bad_tpkt');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    const side = isOrig ? 0 : 1;
    this.streams[side].reset();
    this.tsdu[side] = [];
    this.tsduLen[side] = 0;
    this.szl[side] = null;
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    return tpktFrameLength(buf, off, len);
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const t = parseTpdu(buf, off, len);
    if (t === 'bad') {
      ctx.weird('s7comm.bad_cotp');
      return;
    }
    if (!this.cotp) {
      this.cotp = true;
      ctx.confirm('cotp');
    }
    if (t.type !== COTP_DT) return;
    const side = this.isOrig ? 0 : 1;
    if (!t.eot || this.tsdu[side].length > 0) {
      if (this.tsduLen[side] + t.dataLen > MAX_TSDU) {
        ctx.weird('s7comm.tsdu_too_large');
        this.tsdu[side] = [];
        this.tsduLen[side] = 0;
        return;
      }
      this.tsdu[side].push(buf.slice(t.dataOff, t.dataOff + t.dataLen));
      this.tsduLen[side] += t.dataLen;
      if (!t.eot) return;
      const whole = concat(this.tsdu[side], this.tsduLen[side]);
      this.tsdu[side] = [];
      this.tsduLen[side] = 0;
      this.tsduData(whole, 0, whole.length);
      return;
    }
    this.tsduData(buf, t.dataOff, t.dataLen);
  }

  private tsduData(buf: Uint8Array, off: number, len: number): void {
    if (len === 0) return;
    const id = buf[off];
    if (id === S7_PROTOCOL_ID) this.s7Pdu(buf, off, len);
    else if (id === S7PLUS_PROTOCOL_ID) this.s7PlusPdu(buf, off, len);
  }

  private s7Pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const r = parseS7(buf, off, len);
    if (r === 'bad') {
      ctx.weird('s7comm.bad_header');
      return;
    }
    if (!this.s7) {
      this.s7 = true;
      ctx.confirm('s7comm');
    }
    const side = this.isOrig ? 0 : 1;
    const pend = this.szl[side];
    if (r.rosctr_code === ROSCTR_USERDATA && pend !== null && r.data_unit_ref === pend.ref && r.szlData === undefined) {
      // A continuation unit: its data goes on from the previous unit's records.
      const more = userDataItem(buf, off, len);
      if (more !== null && pend.data.length + more.length <= MAX_TSDU) pend.data = concat([pend.data, more], pend.data.length + more.length);
      r.szl_id = pend.szl.szl_id;
      r.szl_name = pend.szl.szl_name;
      r.szl_index = pend.szl.szl_index;
      if (!r.more_follows) {
        szlIdentity(pend.data, 0, pend.data.length, r);
        this.szl[side] = null;
      }
    } else if (r.szlData !== undefined && r.data_unit_ref !== undefined) {
      this.szl[side] = new Pending(r.data_unit_ref, r.szlData, r);
    }
    const ev = { ...r, type: 's7comm.message', is_orig: this.isOrig, packet: ctx.packet.packetNo } as S7commMessage & { szlData?: unknown; password?: unknown };
    delete ev.szlData;
    if (r.password !== undefined) {
      ev.password_sent = true;
      ev.secret = secretDigest(r.password);
      delete ev.password;
    }
    ctx.emit(ev);
    if (r.order_number !== undefined || r.module !== undefined) {
      const name = r.module ?? r.order_number!;
      ctx.emit({
        type: 'software',
        host: respHost(ctx.conn),
        host_p: ctx.conn.rPort,
        software_type: 'S7::PLC',
        unparsed_version: r.firmware !== undefined ? `${name} ${r.firmware}` : name,
      });
    }
  }

  private s7PlusPdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const r = parseS7Plus(buf, off, len);
    if (r === 'bad') return;
    if (!this.s7plus) {
      this.s7plus = true;
      ctx.confirm('s7comm-plus');
    }
    const ev: S7commPlusMessage = { ...r, type: 's7comm_plus.message', is_orig: this.isOrig, packet: ctx.packet.packetNo };
    ctx.emit(ev);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
