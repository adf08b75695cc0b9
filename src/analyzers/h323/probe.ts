// Cheap recognition of H.323. Call signalling: a TPKT whose payload opens a Q.931 message — a yes
// on TCP 1720 from the TPKT header and Q.931's discriminator; on another port only when the whole
// first TPKT is there and is a Q.931 message H.225.0 uses with a User-user element whose
// H323-UserInformation decodes. RAS: on UDP 1718/1719 a datagram that decodes as a RasMessage as
// far as its sequence number. The host hands the responder's port, so a gatekeeper's request from
// 1719 to the endpoint's RAS port is a maybe (which its port, as the originator's, makes a start);
// off both ports a RasMessage is only a maybe, as PER has no signature to tell it by, unless it
// carries H.225.0's protocol identifier.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { decodeRas, decodeUserInformation } from './h225.js';
import { PerReader } from './per.js';
import { H225_CS_PORT, Q931_DISCRIMINATOR, TPKT_HEADER_LEN, TPKT_VERSION, parseQ931, q931MessageName, tpktLength } from './q931.js';

export const RAS_DISCOVERY_PORT = 1718;
export const RAS_PORT = 1719;

const reader = new PerReader();

export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean, proto: number, port = 0): number {
  void isOrig;
  if (len < 1) return PROBE_NO;
  if (proto === 17) {
    const m = decodeRas(reader, buf, off, len);
    if (m === null || m.seq === undefined || (m.err !== null && m.err !== 'unsupported')) return PROBE_NO;
    return port === RAS_PORT || port === RAS_DISCOVERY_PORT || m.protocolVersion !== undefined ? PROBE_YES : PROBE_MAYBE;
  }
  if (proto !== 6 || buf[off] !== TPKT_VERSION) return PROBE_NO;
  const onPort = port === H225_CS_PORT;
  const n = tpktLength(buf, off, len);
  if (n < 0) return PROBE_NO;
  if (len < TPKT_HEADER_LEN + 1) return onPort ? PROBE_MAYBE : PROBE_NO;
  if (buf[off + TPKT_HEADER_LEN] !== Q931_DISCRIMINATOR) return PROBE_NO;
  if (onPort) return PROBE_YES;
  if (len < n) return PROBE_NO;
  const q = parseQ931(buf, off, n);
  if (q === null || q931MessageName(q.type) === undefined || q.uuOff < 0) return PROBE_NO;
  const u = decodeUserInformation(reader, buf, q.uuOff, q.uuLen);
  return u !== null && u.err === null ? PROBE_YES : PROBE_NO;
}
