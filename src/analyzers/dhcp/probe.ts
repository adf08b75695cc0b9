// Cheap recognition of DHCP on any port: a BOOTP op code, an Ethernet-sized hardware address
// and the DHCP magic cookie at offset 236 (RFC 2131 §3). DHCPv6 has no magic, so it is only
// proposed on its own ports (RFC 8415 §7.2) when the message type is a client/server one.
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { BOOTP_HEADER_LEN, BOOTREPLY, BOOTREQUEST, DHCP_MAGIC_COOKIE } from './parse.js';
import { DHCP6_RELAY_REPL } from './parse6.js';

export const DHCP6_CLIENT_PORT = 546;
export const DHCP6_SERVER_PORT = 547;
const MIN_DHCP = BOOTP_HEADER_LEN + 4;
const MAX_HLEN = 16;

export function probe(buf: Uint8Array, off: number, len: number, _isOrig: boolean, proto: number, port: number): number {
  if (proto !== 17) return PROBE_NO;
  if (len >= MIN_DHCP) {
    const op = buf[off];
    const c = off + BOOTP_HEADER_LEN;
    const cookie = ((buf[c] << 24) | (buf[c + 1] << 16) | (buf[c + 2] << 8) | buf[c + 3]) >>> 0;
    if ((op === BOOTREQUEST || op === BOOTREPLY) && buf[off + 2] <= MAX_HLEN && cookie === DHCP_MAGIC_COOKIE) return PROBE_YES;
  }
  if ((port === DHCP6_CLIENT_PORT || port === DHCP6_SERVER_PORT) && len >= 4 && buf[off] >= 1 && buf[off] <= DHCP6_RELAY_REPL) return PROBE_MAYBE;
  return PROBE_NO;
}
