// DNSCrypt (dnscrypt.info "Protocol", version 2, and the version 1 it replaced): DNS queries and
// answers encrypted between a client (dnscrypt-proxy) and a resolver, over UDP or TCP on any
// port (443 by custom, to pass firewalls). Only the framing is readable:
//   query:    client-magic (8) | client public key (32) | client half-nonce (12) | box (≥ 16)
//   response: resolver magic "r6fnvWj8" (8) | nonce (24, starting with the client's 12) | box (≥ 16)
// Over TCP each message is preceded by its length (2 bytes, big-endian). The client magic is the
// first 8 bytes of the resolver's certificate's client-magic field: it names the key the query
// was encrypted for. The resolver magic is a 64-bit constant, so a response is recognised
// beyond doubt; a query alone is random bytes.

import { hexString } from '../dns/text.js';

/** "r6fnvWj8", the first 8 bytes of every DNSCrypt response. */
export const RESOLVER_MAGIC: readonly number[] = [0x72, 0x36, 0x66, 0x6e, 0x76, 0x57, 0x6a, 0x38];
/** Client magic, public key and half-nonce, then at least the box's 16-byte authenticator. */
export const QUERY_MIN = 8 + 32 + 12 + 16;
/** Resolver magic and nonce, then at least the box's authenticator. */
export const RESPONSE_MIN = 8 + 24 + 16;
/** DNSCrypt messages are DNS messages plus their framing: a TCP length over this is not one. */
export const MESSAGE_MAX = 65535;

/** True when `len` bytes at `off` are a DNSCrypt response (the resolver magic, and room for the nonce and box). */
export function isResponse(b: Uint8Array, off: number, len: number): boolean {
  if (len < RESPONSE_MIN) return false;
  for (let i = 0; i < 8; i++) if (b[off + i] !== RESOLVER_MAGIC[i]) return false;
  return true;
}

/** The client magic of a query, as hex (the resolver certificate it was encrypted for). */
export function clientMagic(b: Uint8Array, off: number): string {
  return hexString(b, off, 8);
}
