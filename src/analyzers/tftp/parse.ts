// TFTP packet parser: RFC 1350 §5 (RRQ, WRQ, DATA, ACK, ERROR), RFC 2347 (option extension and
// OACK) with the options of RFC 2348 (blksize), RFC 2349 (timeout, tsize) and RFC 7440
// (windowsize). One UDP datagram is one packet. Pure: bytes in, a packet or 'bad' out.

export const OP_RRQ = 1;
export const OP_WRQ = 2;
export const OP_DATA = 3;
export const OP_ACK = 4;
export const OP_ERROR = 5;
export const OP_OACK = 6;

/** RFC 1350 §5: every packet starts with a two-byte opcode; DATA and ACK add a block number. */
const OPCODE_LEN = 2;
export const BLOCK_HDR_LEN = 4;
/** Longest file name, mode, option or error text kept (longer is truncated, not rejected). */
export const MAX_STRING = 512;
/** RFC 2347: options are few; more than this is noise, not a request. */
export const MAX_OPTIONS = 16;
/** RFC 2348 §2: blksize ranges over 8..65464 octets. */
export const MAX_BLKSIZE = 65464;
/** RFC 1350 §6: the transfer's modes (case-insensitive). */
export const MODES = new Set(['netascii', 'octet', 'mail']);

export interface TftpRequest {
  op: typeof OP_RRQ | typeof OP_WRQ;
  fname: string;
  /** Lower-cased. */
  mode: string;
  /** RFC 2347 options, names lower-cased. */
  options: Record<string, string>;
}
export interface TftpData {
  op: typeof OP_DATA;
  block: number;
  /** Bytes of file data carried (the bytes themselves are never kept). */
  dataLen: number;
}
export interface TftpAck {
  op: typeof OP_ACK;
  block: number;
}
export interface TftpError {
  op: typeof OP_ERROR;
  code: number;
  msg: string;
}
export interface TftpOack {
  op: typeof OP_OACK;
  options: Record<string, string>;
}
export type TftpPacket = TftpRequest | TftpData | TftpAck | TftpError | TftpOack;

/** A NUL-terminated string at `p`: its text (latin1, bounded) and the offset after the NUL, or -1 if unterminated. */
function cstring(buf: Uint8Array, p: number, end: number): { text: string; next: number } {
  let i = p;
  while (i < end && buf[i] !== 0) i++;
  const stop = Math.min(i, p + MAX_STRING);
  const text = Buffer.from(buf.buffer, buf.byteOffset + p, stop - p).toString('latin1');
  return { text, next: i < end ? i + 1 : -1 };
}

/** RFC 2347 §2: name/value pairs after the mode (request) or the opcode (OACK). */
function options(buf: Uint8Array, p: number, end: number): Record<string, string> | 'bad' {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let n = 0;
  while (p < end) {
    // Padding NULs after the last option are tolerated (some clients send them).
    if (buf[p] === 0) {
      p++;
      continue;
    }
    if (++n > MAX_OPTIONS) return 'bad';
    const name = cstring(buf, p, end);
    if (name.next < 0) return 'bad';
    const value = cstring(buf, name.next, end);
    out[name.text.toLowerCase()] = value.text;
    if (value.next < 0) break;
    p = value.next;
  }
  return out;
}

/** Parses one TFTP datagram. Never reads past `off + len`. */
export function parseTftp(buf: Uint8Array, off: number, len: number): TftpPacket | 'bad' {
  if (len < OPCODE_LEN || off < 0 || off + len > buf.length) return 'bad';
  const end = off + len;
  const op = (buf[off] << 8) | buf[off + 1];
  switch (op) {
    case OP_RRQ:
    case OP_WRQ: {
      const f = cstring(buf, off + OPCODE_LEN, end);
      if (f.next < 0) return 'bad';
      const m = cstring(buf, f.next, end);
      if (m.next < 0) return 'bad';
      const opts = options(buf, m.next, end);
      if (opts === 'bad') return 'bad';
      return { op, fname: f.text, mode: m.text.toLowerCase(), options: opts };
    }
    case OP_DATA:
      if (len < BLOCK_HDR_LEN || len - BLOCK_HDR_LEN > MAX_BLKSIZE) return 'bad';
      return { op, block: (buf[off + 2] << 8) | buf[off + 3], dataLen: len - BLOCK_HDR_LEN };
    case OP_ACK:
      if (len < BLOCK_HDR_LEN) return 'bad';
      return { op, block: (buf[off + 2] << 8) | buf[off + 3] };
    case OP_ERROR: {
      if (len < BLOCK_HDR_LEN) return 'bad';
      // The message's NUL is sometimes missing: the text runs to the datagram's end then.
      const msg = cstring(buf, off + BLOCK_HDR_LEN, end);
      return { op, code: (buf[off + 2] << 8) | buf[off + 3], msg: msg.text };
    }
    case OP_OACK: {
      const opts = options(buf, off + OPCODE_LEN, end);
      if (opts === 'bad') return 'bad';
      return { op, options: opts };
    }
    default:
      return 'bad';
  }
}

/** A request a server would act on: a known mode and a file name of printable characters. */
export function isWellFormedRequest(r: TftpRequest): boolean {
  if (!MODES.has(r.mode)) return false;
  for (let i = 0; i < r.fname.length; i++) {
    const ch = r.fname.charCodeAt(i);
    if (ch < 0x20 || ch === 0x7f) return false;
  }
  return true;
}
