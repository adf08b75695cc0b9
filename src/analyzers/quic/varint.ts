// QUIC's variable-length integer (RFC 9000 §16), read by the QUIC packet parser and by the TLS
// parser for the QUIC transport parameters a ClientHello carries.

/** Reads a variable-length integer; null past `end`. Values above 2^53 lose precision. */
export function readVarint(b: Uint8Array, off: number, end: number): { value: number; next: number } | null {
  if (off >= end) return null;
  const first = b[off];
  const n = 1 << (first >> 6);
  if (off + n > end) return null;
  let v = first & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[off + i];
  return { value: v, next: off + n };
}
