// Zeek's known_hosts and known_services logs (policy/protocols/conn/known-hosts.zeek,
// known-services.zeek) with Zeek's default tracking, LOCAL_HOSTS: the site's hosts that completed
// a TCP handshake, and the services they answered — a confirmed protocol on a port whose
// responder completed the TCP handshake (TCP) or answered (UDP). The site is --local-nets
// (private and link-local ranges by default). Each host, and each host/port/transport, once.
import type { Conn } from './conn.js';
import { connState, protoName } from './connlog.js';
import { formatAddr } from '../decode/packet.js';
import type { LocalNets } from '../inventory/local.js';

/** Connection states in which the TCP handshake completed (Zeek's connection_established). */
const ESTABLISHED = new Set(['S1', 'SF', 'S2', 'S3', 'RSTO', 'RSTR']);
const PROTO_TCP = 6;
const PROTO_UDP = 17;

export type KnownHost = {
  type: 'known.host';
  tsSec: number;
  tsNsec: number;
  host: string;
};

export type KnownService = {
  type: 'known.service';
  tsSec: number;
  tsNsec: number;
  host: string;
  port_num: number;
  port_proto: string;
  service: string[];
};

const NONE: (KnownHost | KnownService)[] = [];

/**
 * The known_hosts and known_services records one ended connection adds (the log run keeps each
 * once). TCP counts once its handshake completed, UDP once the responder answered; a host is
 * known from TCP alone, a service needs a recognised protocol.
 */
export function knownRecords(c: Conn, local: LocalNets): (KnownHost | KnownService)[] {
  const tcp = c.proto === PROTO_TCP;
  const answered = c.respPkts > 0 && (tcp ? ESTABLISHED.has(connState(c)) : c.proto === PROTO_UDP && c.service !== '');
  // Most connections qualify for nothing: a SYN without an answer, an unanswered datagram.
  if (!answered) return NONE;
  const out: (KnownHost | KnownService)[] = [];
  const resp = formatAddr(c.r0, c.r1, c.r2, c.r3);
  // The site's networks are tested on the address words: no text is parsed per connection.
  const respLocal = local.hasWords(c.r0, c.r1, c.r2, c.r3);
  if (tcp) {
    if (local.hasWords(c.o0, c.o1, c.o2, c.o3)) out.push({ type: 'known.host', tsSec: c.startSec, tsNsec: c.startNsec, host: formatAddr(c.o0, c.o1, c.o2, c.o3) });
    if (respLocal) out.push({ type: 'known.host', tsSec: c.startSec, tsNsec: c.startNsec, host: resp });
  }
  if (c.service === '' || !respLocal) return out;
  out.push({
    type: 'known.service',
    tsSec: c.startSec,
    tsNsec: c.startNsec,
    host: resp,
    port_num: c.rPort,
    port_proto: protoName(c.proto),
    service: c.service.split(',').map((s) => s.toUpperCase()),
  });
  return out;
}
