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

/** Protocols whose server sends nothing back over TCP by design: their name stands on the client's bytes. */
const ONE_WAY_TCP = new Set(['syslog', 'syslog_tcp', 'jetdirect', 'ftp-data']);

/**
 * Whether the connection's service is the responder's as well as the client's. On the protocol's
 * well-known port the client's message says enough (a Modbus device that closed on a request it
 * did not like is still the Modbus device on 502). Recognised off its port by probing, the
 * protocol needs more: the responder sent payload, or the protocol is one-way, or the capture
 * cannot tell (no handshake seen: a capture of one direction, or joined mid-way; or the
 * connection still open when the capture ended, its reply perhaps not sent yet). A server that
 * took a connection and closed it without a word (a DICOM SCP handed a scanner's HTTP, RTSP or
 * LDAP probe) does not speak what the client tried, and the client only tried it.
 */
export function serviceAnswered(c: Conn): boolean {
  if (c.service === '') return false;
  if (!c.offPort || c.proto !== PROTO_TCP || c.respBytes > 0 || c.partial || !c.handshakeDone) return true;
  if (connState(c) === 'S1') return true;
  for (const s of c.service.split(',')) if (ONE_WAY_TCP.has(s)) return true;
  return false;
}

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
  if (!respLocal || !serviceAnswered(c)) return out;
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
