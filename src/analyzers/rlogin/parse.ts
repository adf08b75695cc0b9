// rlogin, pure functions (RFC 1282 §"Connection Establishment"): the client opens with four
// NUL-terminated strings: an empty one, the client user, the server user, "terminal/speed".

/** Longest handshake accepted (each name is short; RFC 1282 does not bound them). */
export const MAX_HANDSHAKE = 1024;

export interface RloginHandshake {
  clientUser: string;
  serverUser: string;
  terminal: string;
  consumed: number;
}

/** The handshake at the start of `b`, 'need_more' while it is incomplete, null if it is not one. */
export function parseHandshake(b: Uint8Array, off: number, len: number): RloginHandshake | 'need_more' | null {
  if (len < 1) return 'need_more';
  if (b[off] !== 0) return null;
  const parts: string[] = [];
  let start = off + 1;
  const end = off + Math.min(len, MAX_HANDSHAKE);
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0) {
      parts.push(Buffer.from(b.subarray(start, i)).toString('latin1'));
      start = i + 1;
      if (parts.length === 3) {
        const [clientUser, serverUser, terminal] = parts;
        if (serverUser === '' || !/^[\x21-\x7e]*$/.test(clientUser + serverUser)) return null;
        if (terminal !== '' && !/^[\x21-\x7e]+\/\d+$/.test(terminal)) return null;
        return { clientUser, serverUser, terminal, consumed: i + 1 - off };
      }
    } else if (c < 0x20 || c > 0x7e) return null;
  }
  return len >= MAX_HANDSHAKE ? null : 'need_more';
}
