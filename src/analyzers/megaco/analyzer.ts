// Per-flow Megaco state: each UDP datagram is one text message (H.248.1 Annex D.1); one event per
// transaction it carries. The binary (ASN.1) encoding, on 2945, is not read.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { MegacoTransactionEvent } from './events.js';
import { parseMegaco } from './parse.js';

export class MegacoAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private bad = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseMegaco(buf, off, len);
    if (typeof m === 'string') {
      // Once per flow: a stream of damaged datagrams is one anomaly.
      if (!this.bad) ctx.weird(`megaco.${m}`);
      this.bad = true;
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('megaco');
    }
    const packet = ctx.packet.packetNo;
    if (m.error !== undefined && m.transactions.length === 0) {
      ctx.emit(event(isOrig, m.version, m.mid, 'error', '', packet, { errors: [m.error] }));
      return;
    }
    for (const t of m.transactions) {
      const ev = event(isOrig, m.version, m.mid, t.kind, t.id, packet, t);
      const sc = t.service_change;
      if (sc !== undefined) {
        ev.service_change_method = sc.method;
        ev.service_change_reason = sc.reason;
        ev.service_change_profile = sc.profile;
        ev.service_change_version = sc.version;
        ev.service_change_address = sc.address;
      }
      ctx.emit(ev);
    }
  }
}

function event(isOrig: boolean, version: number, mid: string, kind: string, id: string, packet: number, t: Partial<Pick<MegacoTransactionEvent, 'contexts' | 'commands' | 'errors' | 'observed_events' | 'media' | 'media_addresses'>>): MegacoTransactionEvent {
  return {
    type: 'megaco.transaction',
    is_orig: isOrig,
    version,
    mid,
    kind,
    transaction_id: id,
    contexts: t.contexts ?? [],
    commands: t.commands ?? [],
    errors: t.errors ?? [],
    observed_events: t.observed_events ?? [],
    media: t.media ?? [],
    media_addresses: t.media_addresses ?? [],
    packet,
  };
}
