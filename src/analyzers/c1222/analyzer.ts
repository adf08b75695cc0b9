// Per-flow C12.22 state: APDUs cut from each direction's TCP stream by their BER length (UDP
// datagrams hold whole ones), their titles, ids and EPSEM flags gathered, cleartext services
// named; a Security service's password becomes a credential event (digest only). One
// c1222.session event when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import { credentialEvent } from '../textproto.js';
import type { C1222Session } from './events.js';
import { MAX_APDU, apduSize, parseApdu } from './parse.js';

const MAX_LIST = 16;

function addOnce<T>(list: T[], v: T | undefined): void {
  if (v !== undefined && list.length < MAX_LIST && !list.includes(v)) list.push(v);
}

export class C1222Analyzer extends PduFlowAnalyzer implements FlowAnalyzer {
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
  private confirmed = false;

  constructor() {
    super(MAX_APDU, 'c1222.bad_apdu');
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
      confirmSummary(ctx, s, 'c1222');
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
