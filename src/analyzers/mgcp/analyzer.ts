// Per-flow MGCP state: each UDP datagram holds one or more messages (RFC 3435 §3.5.5). A command
// waits in a bounded table, keyed by its direction and transaction id, for the final response
// that carries the same id from the other side (§3.5); one event per transaction. Provisional
// responses (1xx) leave it waiting, a response acknowledgement (000, §3.5.6) acknowledges a
// response already paired, and a repeated command still unanswered is a retransmission (§3.5.3).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { MgcpTransactionEvent } from './events.js';
import { parseMgcp, type MgcpMessage } from './parse.js';
import { evictOldest } from '../../util/evict.js';

/** Commands awaiting a response per flow (a gateway answers within seconds; a flood must not grow this). */
const MAX_PENDING = 64;
/** Items kept per merged list (a command's and its response's). */
const MAX_LIST = 16;
const CODE_RESPONSE_ACK = 0;
const CODE_FINAL = 200;

export class MgcpAnalyzer implements FlowAnalyzer {
  private confirmed = false;
  private readonly pending = new Map<string, MgcpTransactionEvent>();

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const d = parseMgcp(buf, off, len);
    if (typeof d === 'string') {
      this.weird(ctx, d);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('mgcp');
    }
    for (const m of d.messages) {
      if (m.kind === 'command') this.command(ctx, isOrig, m);
      else this.response(ctx, isOrig, m);
    }
    if (d.damage !== undefined) this.weird(ctx, d.damage);
  }

  end(ctx: AnalyzerContext): void {
    // Commands never answered are logged without a response.
    for (const t of this.pending.values()) ctx.emit(t);
    this.pending.clear();
  }

  private weird(ctx: AnalyzerContext, name: string): void {
    ctx.weird(`mgcp.${name}`);
  }

  private command(ctx: AnalyzerContext, isOrig: boolean, m: MgcpMessage): void {
    const key = (isOrig ? 'o' : 'r') + m.transactionId;
    const cur = this.pending.get(key);
    if (cur !== undefined) {
      cur.retransmissions++;
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      // The oldest is logged unanswered.
      ctx.emit(evictOldest(this.pending)![1]);
      ctx.weird('mgcp.too_many_pending');
    }
    const p = m.params;
    const t = newTransaction(ctx, isOrig, m.transactionId);
    t.verb = m.verb;
    t.endpoint = m.endpoint;
    t.version = m.version;
    t.call_id = p.callId;
    t.connection_id = p.connectionId;
    t.request_id = p.requestId;
    t.notified_entity = p.notifiedEntity;
    t.mode = p.mode;
    t.requested_events = p.requestedEvents ?? [];
    t.signals = p.signals ?? [];
    t.observed_events = p.observedEvents ?? [];
    t.restart_method = p.restartMethod;
    t.restart_delay = p.restartDelay;
    t.reason_code = p.reasonCode;
    t.specific_endpoint = p.specificEndpoint;
    t.codecs = p.localCodecs;
    t.capabilities = p.capabilityCodecs;
    t.media = m.media;
    t.media_addresses = m.mediaAddresses;
    t.connection_params = p.connectionParams;
    this.pending.set(key, t);
  }

  private response(ctx: AnalyzerContext, isOrig: boolean, m: MgcpMessage): void {
    if (m.code === CODE_RESPONSE_ACK) return;
    const key = (isOrig ? 'r' : 'o') + m.transactionId;
    const t = this.pending.get(key) ?? newTransaction(ctx, !isOrig, m.transactionId);
    const p = m.params;
    t.response_code = m.code;
    if (m.commentary !== '') t.response_text = m.commentary;
    t.connection_id ??= p.connectionId;
    t.specific_endpoint ??= p.specificEndpoint;
    t.mode ??= p.mode;
    t.connection_params ??= p.connectionParams;
    // Cisco's gateways answer an AuditEndpoint's "F: A" with LocalConnectionOptions lines.
    merge(t.capabilities, p.capabilityCodecs);
    if (t.verb === 'AUEP') merge(t.capabilities, p.localCodecs);
    merge(t.media, m.media);
    merge(t.media_addresses, m.mediaAddresses);
    if (t.verb !== undefined) {
      const pk = ctx.packet;
      const us = (pk.tsSec - t.tsSec) * 1e6 + Math.floor(pk.tsNsec / 1000) - Math.floor(t.tsNsec / 1000);
      if (us >= 0) t.rtt_us = us;
    }
    // A provisional response (100 in progress, 101 queued) leaves the command waiting for its final one.
    if (m.code < CODE_FINAL && m.code >= 100 && t.verb !== undefined) {
      this.pending.set(key, t);
      return;
    }
    this.pending.delete(key);
    ctx.emit(t);
  }
}

function merge(into: string[], from: readonly string[]): void {
  for (const x of from) if (into.length < MAX_LIST && !into.includes(x)) into.push(x);
}

function newTransaction(ctx: AnalyzerContext, isOrig: boolean, id: string): MgcpTransactionEvent {
  const p = ctx.packet;
  return {
    type: 'mgcp.transaction',
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    packet: p.packetNo,
    is_orig: isOrig,
    transaction_id: id,
    requested_events: [],
    signals: [],
    observed_events: [],
    codecs: [],
    capabilities: [],
    media: [],
    media_addresses: [],
    retransmissions: 0,
  };
}
