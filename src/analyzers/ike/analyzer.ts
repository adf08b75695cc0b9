// Per-flow IKE state, per IKE SA (its initiator SPI): each datagram is one message (after the non-ESP marker on UDP 4500, where
// ESP packets and NAT keepalives share the flow). Collects what the exchange shows in clear — the
// version, exchange types, SPIs, the originator's proposals and the one the responder chose, the
// key exchange group, IKEv1 Aggressive Mode identities, vendor ids, notifications — and emits one
// summary per SA at the end. The pre-shared key's hash (Aggressive Mode) is never kept.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { IkeSession } from './events.js';
import { EXCHANGE_NAMES, EXCH_AGGRESSIVE, markerLen, parseMessage, type Proposal } from './parse.js';

const MAX_LIST = 16;
/** IKE SAs tracked per flow (one UDP 500 flow between two gateways carries every SA they negotiate). */
const MAX_SAS = 64;

/** One IKE SA, keyed by its initiator SPI. */
class Sa {
  tsSec = 0;
  tsNsec = 0;
  packetNo = 0;
  version = 0;
  readonly exchanges: string[] = [];
  rspi = '';
  offered: Proposal[] | null = null;
  chosen: Proposal | null = null;
  keGroup = 0;
  aggressive = false;
  initiatorId = '';
  responderId = '';
  readonly vendorIds: string[] = [];
  readonly notifies: string[] = [];
  answered = false;
  esp = 0;
  constructor(readonly ispi: string) {}
}

export class IkeAnalyzer implements FlowAnalyzer {
  private readonly sas = new Map<string, Sa>();
  private last: Sa | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (len === 1 && buf[off] === 0xff) return; // NAT-T keepalive (RFC 3948 §2.3)
    const skip = markerLen(buf, off, len);
    if (skip === 0 && this.last !== null && (ctx.conn.rPort === 4500 || ctx.conn.oPort === 4500)) {
      this.last.esp++; // UDP-encapsulated ESP: an SPI, never zero, where the marker would be
      return;
    }
    const m = parseMessage(buf, off + skip, len - skip);
    if (m === null) {
      ctx.weird('ike.bad_message');
      return;
    }
    if (m.damaged) ctx.weird('ike.bad_payload');
    let sa = this.sas.get(m.ispi);
    if (sa === undefined) {
      if (this.sas.size >= MAX_SAS) {
        ctx.weird('ike.too_many_sas');
        return;
      }
      sa = new Sa(m.ispi);
      sa.tsSec = ctx.packet.tsSec;
      sa.tsNsec = ctx.packet.tsNsec;
      sa.packetNo = ctx.packet.packetNo;
      sa.version = m.version;
      this.sas.set(m.ispi, sa);
      ctx.confirm('ike');
    }
    this.last = sa;
    const ex = EXCHANGE_NAMES[m.exchange];
    if (!sa.exchanges.includes(ex) && sa.exchanges.length < MAX_LIST) sa.exchanges.push(ex);
    if (m.exchange === EXCH_AGGRESSIVE) sa.aggressive = true;
    if (sa.rspi === '') sa.rspi = m.rspi;
    if (!isOrig) sa.answered = true;
    if (m.proposals.length > 0) {
      if (isOrig && sa.offered === null) sa.offered = m.proposals;
      else if (!isOrig && sa.chosen === null) sa.chosen = m.proposals[0];
    }
    if (m.keGroup !== 0 && (sa.keGroup === 0 || !isOrig)) sa.keGroup = m.keGroup;
    if (m.ids.length > 0) {
      if (isOrig && sa.initiatorId === '') sa.initiatorId = m.ids[0];
      else if (!isOrig && sa.responderId === '') sa.responderId = m.ids[0];
    }
    for (const v of m.vendorIds) if (!sa.vendorIds.includes(v) && sa.vendorIds.length < MAX_LIST) sa.vendorIds.push(v);
    for (const v of m.notifies) if (!sa.notifies.includes(v) && sa.notifies.length < MAX_LIST) sa.notifies.push(v);
  }

  end(ctx: AnalyzerContext): void {
    for (const sa of this.sas.values()) ctx.emit(summary(sa));
  }
}

function summary(sa: Sa): IkeSession {
  // The algorithms in use: the chosen proposal's, else (no answer) everything offered.
  const use = sa.chosen !== null ? [sa.chosen] : (sa.offered ?? []);
  const ev: IkeSession = {
    type: 'ike.session',
    tsSec: sa.tsSec,
    tsNsec: sa.tsNsec,
    version: `${sa.version}.0`,
    exchanges: sa.exchanges,
    initiator_spi: sa.ispi,
    proposals_offered: (sa.offered ?? []).map((p) => p.text).slice(0, MAX_LIST),
    encryption: [...new Set(use.flatMap((p) => p.encr))],
    integrity: [...new Set(use.flatMap((p) => p.integ))],
    dh_groups: [...new Set([...use.flatMap((p) => p.dh), ...(sa.keGroup !== 0 ? [sa.keGroup] : [])])],
    aggressive: sa.aggressive,
    vendor_ids: sa.vendorIds,
    notifies: sa.notifies,
    answered: sa.answered,
    esp_packets: sa.esp,
    packet: sa.packetNo,
  };
  if (sa.rspi !== '') ev.responder_spi = sa.rspi;
  if (sa.chosen !== null) ev.proposal_chosen = sa.chosen.text;
  const auth = use.find((p) => p.auth !== '')?.auth;
  if (auth !== undefined) ev.auth_method = auth;
  if (sa.initiatorId !== '') ev.initiator_id = sa.initiatorId;
  if (sa.responderId !== '') ev.responder_id = sa.responderId;
  return ev;
}
