// Per-flow C12.22 state: APDUs cut from each direction's TCP stream by their BER length (UDP
// datagrams hold whole ones), their titles, ids and EPSEM flags gathered, cleartext services
// named; a Security service's password becomes a credential event (digest only). One
// c1222.session event when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduStream, type PduSink } from '../framing.js';
import { credentialEvent } from '../textproto.js';
import type { C1222Session } from './events.js';
import { MAX_APDU, apduSize, parseApdu } from './parse.js';

const MAX_LIST = 16;

function addOnce<T>(list: T[], v: T | undefined): void {
  if (v !== undefined && list.length < MAX_LIST && !list.includes(v)) list.push(v);
}

export class C1222Analyzer implements FlowAnalyzer, PduSink {
  private readonly streams = [new PduStream(MAX_APDU), new PduStream(MAX_APDU)];
  private readonly s: C1222Session = {
    type: 'c1222.session',
    tsSec: 0,
    tsNsec: 0,
    packet: 0,
    called_ap_titles: [],
    calling_ap_titles: [],
    called_ap_invocation_ids: [],
    calling_ap_invocation_ids: [],
    security_modes: [],
    response_controls: [],
    services: [],
    tables: [],
    messages: 0,
  };
  private ctx: AnalyzerContext | null = null;
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (ctx.conn.proto === 17) {
      this.pdu(buf, off, len);
      return;
    }
    const s = this.streams[isOrig ? 0 : 1];
    if (s.broken) return;
    if (!s.feed(buf, off, len, this)) ctx.weird('c1222.bad_apdu');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    this.streams[isOrig ? 0 : 1].reset();
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    const n = apduSize(buf, off, len);
    return n === 0 ? FRAME_NEED_MORE : n < 0 ? FRAME_BAD : n;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    const ctx = this.ctx!;
    const a = parseApdu(buf, off, len);
    if (a === null) {
      ctx.weird('c1222.bad_apdu');
      return;
    }
    const s = this.s;
    if (!this.confirmed) {
      this.confirmed = true;
      const p = ctx.packet;
      s.tsSec = p.tsSec;
      s.tsNsec = p.tsNsec;
      s.packet = p.packetNo;
      ctx.confirm('c1222');
    }
    s.messages++;
    addOnce(s.called_ap_titles, a.calledApTitle);
    addOnce(s.calling_ap_titles, a.callingApTitle);
    addOnce(s.called_ap_invocation_ids, a.calledApInvocationId);
    addOnce(s.calling_ap_invocation_ids, a.callingApInvocationId);
    addOnce(s.security_modes, a.securityMode);
    addOnce(s.response_controls, a.responseControl);
    for (const v of a.services) addOnce(s.services, v);
    for (const t of a.tables) addOnce(s.tables, `${t.service} ${t.table}`);
    if (a.user !== undefined && a.user !== '') s.user ??= a.user;
    if (a.password !== undefined) {
      s.has_password = true;
      ctx.emit(credentialEvent('c1222', s.user ?? '', a.password));
      a.password.fill(0);
    }
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
