// Per-flow NAT-PMP / PCP state: requests wait (bounded) for their answer, matched by opcode and,
// for PCP MAP and PEER, by the mapping nonce; each pair becomes one natpmp.transaction event, an
// answer nobody asked for (an announcement) one alone, and requests still waiting when the flow
// ends one each, unanswered.
import { origHost, respHost } from '../connid.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { PortMapEvent } from './events.js';
import { PCP_OPTION_NAMES, opcodeName, parsePortMap, resultName, type PortMapMessage } from './parse.js';

/** Requests awaiting their answer per flow (a client retries a few times, RFC 6886 §3.1). */
const MAX_PENDING = 8;

interface Pending {
  msg: PortMapMessage;
  tsSec: number;
  tsNsec: number;
  packet: number;
}

/** IPv4 224/4 (the words hold an IPv4 address in the last one) or IPv6 ff00::/8. */
function multicast(w0: number, w3: number): boolean {
  return w0 === 0 ? w3 >>> 28 === 0xe : w0 >>> 24 === 0xff;
}

const TRANSPORTS: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 0: 'all' };

export class PortMapAnalyzer implements FlowAnalyzer {
  private confirmed = new Set<string>();
  private pending: Pending[] = [];

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parsePortMap(buf, off, len);
    if (m === 'bad') {
      ctx.weird('natpmp.bad_message');
      return;
    }
    if (!this.confirmed.has(m.protocol)) {
      this.confirmed.add(m.protocol);
      ctx.confirm(m.protocol);
    }
    const p = ctx.packet;
    if (!m.response) {
      // A retransmission replaces the request it repeats.
      const i = this.pending.findIndex((x) => x.msg.protocol === m.protocol && x.msg.opcode === m.opcode && x.msg.nonce === m.nonce && x.msg.internal_port === m.internal_port);
      if (i >= 0) this.pending.splice(i, 1);
      else if (this.pending.length >= MAX_PENDING) this.emit(ctx, isOrig, this.pending.shift()!, null);
      this.pending.push({ msg: m, tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo });
      return;
    }
    const i = this.pending.findIndex((x) => x.msg.protocol === m.protocol && x.msg.opcode === m.opcode && (m.nonce === undefined || x.msg.nonce === m.nonce));
    const req = i >= 0 ? this.pending.splice(i, 1)[0] : null;
    this.emit(ctx, !isOrig, req, { msg: m, tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo });
  }

  end(ctx: AnalyzerContext): void {
    for (const r of this.pending) this.emit(ctx, true, r, null);
    this.pending = [];
  }

  /** One event for a request and its answer (either may be missing); `clientIsOrig`: the asker is the flow's originator. */
  private emit(ctx: AnalyzerContext, clientIsOrig: boolean, req: Pending | null, resp: Pending | null): void {
    const c = ctx.conn;
    const orig = origHost(c);
    const respA = respHost(c);
    const first = (req ?? resp)!;
    const q = req?.msg;
    const a = resp?.msg;
    const any = (q ?? a)!;
    const ev: PortMapEvent = {
      type: 'natpmp.transaction',
      tsSec: first.tsSec,
      tsNsec: first.tsNsec,
      packet: first.packet,
      protocol: any.protocol,
      opcode: opcodeName(any),
      // An announcement (RFC 6886 §3.2.1, RFC 6887 §14.1) goes to all hosts: nobody asked.
      client: req === null && multicast(clientIsOrig ? c.o0 : c.r0, clientIsOrig ? c.o3 : c.r3) ? '' : clientIsOrig ? orig : respA,
      server: clientIsOrig ? respA : orig,
      answered: a !== undefined,
    };
    if (a !== undefined) {
      const r = resultName(a);
      if (r !== undefined) ev.result = r;
      if (a.epoch !== undefined) ev.epoch = a.epoch;
      if (a.lifetime !== undefined) ev.lifetime = a.lifetime;
      if (a.external_port !== undefined) ev.external_port = a.external_port;
      if (a.external_ip !== undefined) ev.external_ip = a.external_ip;
    }
    if (q?.lifetime !== undefined) ev.requested_lifetime = q.lifetime;
    if (q?.external_port !== undefined) ev.requested_external_port = q.external_port;
    const transport = q?.transport ?? a?.transport;
    if (transport !== undefined) ev.transport = TRANSPORTS[transport] ?? String(transport);
    const inPort = q?.internal_port ?? a?.internal_port;
    if (inPort !== undefined) ev.internal_port = inPort;
    const third = q?.third_party ?? a?.third_party;
    if (third !== undefined) {
      ev.internal_ip = third;
      ev.third_party = true;
    } else if (q?.client_ip !== undefined) ev.internal_ip = q.client_ip;
    const remoteIp = q?.remote_ip ?? a?.remote_ip;
    if (remoteIp !== undefined) ev.remote_ip = remoteIp;
    const remotePort = q?.remote_port ?? a?.remote_port;
    if (remotePort !== undefined) ev.remote_port = remotePort;
    const opts = q?.options ?? a?.options;
    if (opts !== undefined) ev.options = opts.map((o) => PCP_OPTION_NAMES[o] ?? String(o));
    ctx.emit(ev);
  }
}
