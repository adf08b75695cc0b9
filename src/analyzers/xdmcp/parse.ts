// XDMCP, the X Display Manager Control Protocol 1.0 (X Consortium standard, UDP 177): how an X
// terminal (a thin client, a lab or imaging workstation's remote display) finds a display
// manager (xdm, gdm, lightdm) and gets a login session on it. Every message is a 6-byte header
// (version 1, opcode, length of the rest, all big-endian CARD16) and fields of CARD8/16/32,
// ARRAY8 (a CARD16 length and bytes), ARRAYofARRAY8 and ARRAYofCARD16 (a CARD8 count and the
// items). Pure functions only.
import { ipv4At, ipv6At } from '../l2text.js';

export const XDMCP_PORT = 177;
export const HEADER_LEN = 6;
export const XDMCP_VERSION = 1;

export const OPCODES: readonly string[] = [
  '',
  'broadcast_query',
  'query',
  'indirect_query',
  'forward_query',
  'willing',
  'unwilling',
  'request',
  'accept',
  'decline',
  'manage',
  'refuse',
  'failed',
  'keepalive',
  'alive',
];
export const BROADCAST_QUERY = 1;
export const QUERY = 2;
export const INDIRECT_QUERY = 3;
export const WILLING = 5;
export const UNWILLING = 6;
export const REQUEST = 7;
export const ACCEPT = 8;
export const DECLINE = 9;
export const MANAGE = 10;
export const REFUSE = 11;
export const FAILED = 12;

export interface Header {
  opcode: number;
  /** Where the message's fields end (the stated length, within the datagram). */
  end: number;
}

/** The header at `off` when it is XDMCP's: version 1, a known opcode, a length the datagram holds. */
export function parseHeader(b: Uint8Array, off: number, len: number): Header | null {
  if (len < HEADER_LEN) return null;
  const version = (b[off] << 8) | b[off + 1];
  const opcode = (b[off + 2] << 8) | b[off + 3];
  const n = (b[off + 4] << 8) | b[off + 5];
  if (version !== XDMCP_VERSION || opcode === 0 || opcode >= OPCODES.length || HEADER_LEN + n > len) return null;
  return { opcode, end: off + HEADER_LEN + n };
}

/** A cursor over one message's fields; every read past the end sets `bad` and returns empty. */
export class Fields {
  bad = false;
  constructor(
    private readonly b: Uint8Array,
    public p: number,
    private readonly end: number,
  ) {}

  card8(): number {
    if (this.end - this.p < 1) return this.fail(0);
    return this.b[this.p++];
  }

  card16(): number {
    if (this.end - this.p < 2) return this.fail(0);
    const v = (this.b[this.p] << 8) | this.b[this.p + 1];
    this.p += 2;
    return v;
  }

  card32(): number {
    if (this.end - this.p < 4) return this.fail(0);
    const v = ((this.b[this.p] << 24) | (this.b[this.p + 1] << 16) | (this.b[this.p + 2] << 8) | this.b[this.p + 3]) >>> 0;
    this.p += 4;
    return v;
  }

  /** An ARRAY8 as a view of its bytes (empty when it does not fit). */
  array8(): Uint8Array {
    const n = this.card16();
    if (this.bad || this.end - this.p < n) return this.fail(new Uint8Array(0));
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** An ARRAYofARRAY8, at most `max` items kept (all are walked). */
  arrayOfArray8(max: number): Uint8Array[] {
    const count = this.card8();
    const out: Uint8Array[] = [];
    for (let i = 0; i < count && !this.bad; i++) {
      const a = this.array8();
      if (out.length < max) out.push(a);
    }
    return out;
  }

  arrayOfCard16(): number[] {
    const count = this.card8();
    const out: number[] = [];
    for (let i = 0; i < count && !this.bad; i++) out.push(this.card16());
    return out;
  }

  private fail<T>(v: T): T {
    this.bad = true;
    this.p = this.end;
    return v;
  }
}

/** Printable text of an ARRAY8 (control bytes dropped), at most `max` characters. */
export function text(a: Uint8Array, max = 128): string {
  let s = '';
  for (let i = 0; i < a.length && s.length < max; i++) if (a[i] >= 0x20 && a[i] < 0x7f) s += String.fromCharCode(a[i]);
  return s.trim();
}

/** A Connection Address of type Internet (0) or InternetV6 (6): the address it names. */
export function connectionAddress(type: number, a: Uint8Array): string | null {
  if (type === 0 && a.length === 4) return ipv4At(a, 0);
  if (type === 6 && a.length === 16) return ipv6At(a, 0);
  return null;
}
