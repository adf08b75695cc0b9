// Where the bytes of a named-pipe exchange lie in SMB messages, for DCE/RPC over SMB (MS-RPCE
// §2.1.1.2): SMB2 WRITE request (MS-SMB2 §2.2.21), READ response (§2.2.20), IOCTL
// FSCTL_PIPE_TRANSCEIVE request/response (§2.2.31, §2.2.32); SMB1 WRITE_ANDX request
// (MS-CIFS §2.2.4.43.1), READ_ANDX response (§2.2.4.42.2) and TRANSACTION TransactNmPipe
// (§2.2.4.33, §2.2.5.6). Pure: offsets are clamped to the message; `total` is the announced size,
// larger than `len` when the message was cut.
import { SMB2_HEADER_LEN } from './smb2.js';
import type { Smb1Block } from './smb1.js';

export const SMB2_IOCTL = 0x000b;
export const FSCTL_PIPE_TRANSCEIVE = 0x0011c017;
/** TRANSACTION setup[0] subcommand that writes then reads a pipe. */
export const TRANS_TRANSACT_NMPIPE = 0x0026;
/** TRANSACTION setup[0] subcommand that peeks into a pipe (MS-CIFS §2.2.5.5); setup[1] is the FID. */
export const TRANS_PEEK_NMPIPE = 0x0023;
/** TRANSACTION2 setup[0] subcommand TRANS2_SESSION_SETUP (MS-CIFS §2.2.6.16: reserved, never used by clients). */
export const TRANS2_SESSION_SETUP = 0x000e;

export interface PipeData {
  /** SMB2 FileId (hex) or SMB1 FID; -1/'' where the message does not name it (read responses). */
  fid: string | number;
  off: number;
  len: number;
  total: number;
  /** IOCTL control code (SMB2 IOCTL only). */
  ctlCode?: number;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

function data(fid: string | number, start: number, total: number, msgEnd: number, ctlCode?: number): PipeData | null {
  if (start < 0 || start > msgEnd || total < 0) return null;
  const r: PipeData = { fid, off: start, len: Math.min(total, msgEnd - start), total };
  if (ctlCode !== undefined) r.ctlCode = ctlCode;
  return r;
}

function fileId(buf: Uint8Array, p: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + p, 16).toString('hex');
}

/** SMB2 WRITE request: FileId at body+16, DataOffset at body+2 (from the header), Length at body+4. */
export function smb2WriteData(buf: Uint8Array, off: number, len: number): PipeData | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 48 > off + len) return null;
  return data(fileId(buf, b + 16), off + u16(buf, b + 2), u32(buf, b + 4), off + len);
}

/** SMB2 READ response: DataOffset (1 byte) at body+2, DataLength at body+4. */
export function smb2ReadData(buf: Uint8Array, off: number, len: number): PipeData | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 16 > off + len) return null;
  return data('', off + buf[b + 2], u32(buf, b + 4), off + len);
}

/** SMB2 IOCTL: the input buffer of a request, the output buffer of a response. */
export function smb2IoctlData(buf: Uint8Array, off: number, len: number, response: boolean): PipeData | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 48 > off + len) return null;
  const ctl = u32(buf, b + 4);
  const fid = fileId(buf, b + 8);
  // Request: InputOffset at 24, InputCount at 28; response: OutputOffset at 32, OutputCount at 36.
  return response ? data(fid, off + u32(buf, b + 32), u32(buf, b + 36), off + len, ctl) : data(fid, off + u32(buf, b + 24), u32(buf, b + 28), off + len, ctl);
}

/** SMB1 WRITE_ANDX request (WordCount 12 or 14): FID, DataLengthHigh/DataLength, DataOffset from the header. */
export function smb1WriteData(buf: Uint8Array, msg: number, len: number, b: Smb1Block): PipeData | null {
  if (b.wc !== 12 && b.wc !== 14) return null;
  const w = b.words;
  return data(u16(buf, w + 4), msg + u16(buf, w + 22), u16(buf, w + 20) + u16(buf, w + 18) * 0x10000, msg + len);
}

/** SMB1 READ_ANDX response (WordCount 12): DataLength, DataOffset, DataLengthHigh. */
export function smb1ReadData(buf: Uint8Array, msg: number, len: number, b: Smb1Block): PipeData | null {
  if (b.wc !== 12) return null;
  const w = b.words;
  return data(-1, msg + u16(buf, w + 12), u16(buf, w + 10) + u16(buf, w + 14) * 0x10000, msg + len);
}

/**
 * The setup words of an SMB1 TRANSACTION or TRANSACTION2 message (their layouts agree: a request
 * has 14 fixed words, a response 10, then SetupCount and the setup words; MS-CIFS §2.2.4.33,
 * §2.2.4.46); null when the word count cannot hold them.
 */
export function smb1TransSetup(buf: Uint8Array, b: Smb1Block, reply: boolean): number[] | null {
  const w = b.words;
  const fixed = reply ? 10 : 14;
  if (b.wc < fixed) return null;
  const setupCount = buf[w + (reply ? 18 : 26)];
  if (b.wc < fixed + setupCount) return null;
  const setupAt = w + 2 * fixed;
  const setup: number[] = [];
  for (let i = 0; i < setupCount; i++) setup.push(u16(buf, setupAt + 2 * i));
  return setup;
}

export interface Smb1Trans extends PipeData {
  setup: number[];
}

/** SMB1 TRANSACTION request (WordCount 14 + SetupCount) or response (10 + SetupCount): its data and setup words. */
export function smb1TransData(buf: Uint8Array, msg: number, len: number, b: Smb1Block, reply: boolean): Smb1Trans | null {
  const w = b.words;
  const setup = smb1TransSetup(buf, b, reply);
  if (setup === null) return null;
  // Request: DataCount at word 11, DataOffset at word 12; response: DataCount at word 6, DataOffset at word 7.
  const d = reply ? data(-1, msg + u16(buf, w + 14), u16(buf, w + 12), msg + len) : data(setup.length > 1 ? setup[1] : -1, msg + u16(buf, w + 24), u16(buf, w + 22), msg + len);
  return d === null ? null : { ...d, setup };
}
