// Cheap recognition of connections where NTLM rides on a carrier this analyzer frames itself:
// a DCE-RPC bind or alter_context from the client (C706 §12.6.3.1), or an HTTP request that
// already carries an NTLM/Negotiate Authorization header. Other HTTP requests are left to the
// HTTP analyzer, which can call ntlmFromHttpHeader() itself.
import { PROBE_NO, PROBE_YES } from '../types.js';
import { DCERPC_HEADER_LEN, PDU_ALTER_CONTEXT, PDU_BIND, parseDceRpcHeader } from './dcerpc.js';

/** First request bytes examined for an authentication header. */
const HTTP_PROBE_BYTES = 8192;
const AUTH_RE = /\r\n(?:proxy-)?authorization:[ \t]*(?:ntlm|negotiate)[ \t]+[A-Za-z0-9+/]/i;

export function looksLikeDceRpc(buf: Uint8Array, off: number, len: number): boolean {
  if (len < DCERPC_HEADER_LEN) return false;
  const h = parseDceRpcHeader(buf, off, len);
  return h !== null && (h.ptype === PDU_BIND || h.ptype === PDU_ALTER_CONTEXT);
}

export function looksLikeHttpRequest(buf: Uint8Array, off: number, len: number): boolean {
  const n = Math.min(len, HTTP_PROBE_BYTES);
  if (n < 16) return false;
  const head = Buffer.from(buf.buffer, buf.byteOffset + off, n).toString('latin1');
  return /^[A-Z]{3,10} \S+ HTTP\/1\.[01]\r\n/.test(head) && AUTH_RE.test(head);
}

/**
 * HTTP requests are not taken here: the HTTP analyzer hands its NTLM/Negotiate tokens to the
 * engine, which feeds them to an NtlmSession (one line per attempt, no duplicates).
 */
export function probe(buf: Uint8Array, off: number, len: number, isOrig: boolean): number {
  if (!isOrig) return PROBE_NO;
  return looksLikeDceRpc(buf, off, len) ? PROBE_YES : PROBE_NO;
}
