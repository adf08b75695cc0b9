// SMB1 (MS-CIFS §2.2.3.1 header; MS-SMB §2.2.4): NEGOTIATE (§2.2.4.52), SESSION_SETUP_ANDX
// (§2.2.4.53, MS-SMB §2.2.4.6), TREE_CONNECT_ANDX (§2.2.4.55), NT_CREATE_ANDX (§2.2.4.64),
// plus the FID of CLOSE/READ_ANDX/WRITE_ANDX. Pure: each parser takes the whole SMB message
// (`off` = the 0xFF 'SMB' header) and never reads past `off + len`.
import { readSmbString, u16, u32, u64, filetime, type FileTimes } from './parse.js';

export const SMB1_HEADER_LEN = 32;

export const SMB1_CLOSE = 0x04;
export const SMB1_DELETE = 0x06;
export const SMB1_RENAME = 0x07;
export const SMB1_TRANSACTION = 0x25;
export const SMB1_TRANSACTION_SECONDARY = 0x26;
export const SMB1_TRANSACTION2 = 0x32;
export const SMB1_TRANSACTION2_SECONDARY = 0x33;
export const SMB1_NT_TRANSACT = 0xa0;
export const SMB1_NT_TRANSACT_SECONDARY = 0xa1;
export const SMB1_OPEN_ANDX = 0x2d;
export const SMB1_READ_ANDX = 0x2e;
export const SMB1_WRITE_ANDX = 0x2f;
export const SMB1_NEGOTIATE = 0x72;
export const SMB1_SESSION_SETUP_ANDX = 0x73;
export const SMB1_LOGOFF_ANDX = 0x74;
export const SMB1_TREE_CONNECT_ANDX = 0x75;
export const SMB1_NT_CREATE_ANDX = 0xa2;
/** AndXCommand value meaning "no further command". */
export const SMB1_NO_ANDX = 0xff;

const FLAGS_REPLY = 0x80;
const FLAGS2_UNICODE = 0x8000;
const FLAGS2_NT_STATUS = 0x4000;
const FLAGS2_EXTENDED_SECURITY = 0x0800;
export const CAP_EXTENDED_SECURITY = 0x80000000;
/** SecurityMode bit: the server wants challenge/response, not plaintext passwords. */
export const NEGOTIATE_ENCRYPT_PASSWORDS = 0x02;
/** Dialect strings in a NEGOTIATE request are prefixed with this buffer format byte. */
const DIALECT_BUFFER_FORMAT = 0x02;
const MAX_DIALECTS = 64;

export interface Smb1Header {
  command: number;
  /** NTSTATUS, or for DOS errors (class << 16 | code). 0 is success either way. */
  status: number;
  flags: number;
  flags2: number;
  tid: number;
  pid: number;
  uid: number;
  mid: number;
  reply: boolean;
  unicode: boolean;
  extendedSecurity: boolean;
}

export function parseSmb1Header(buf: Uint8Array, off: number, len: number): Smb1Header | null {
  if (len < SMB1_HEADER_LEN + 1 || buf[off] !== 0xff || buf[off + 1] !== 0x53 || buf[off + 2] !== 0x4d || buf[off + 3] !== 0x42) return null;
  const flags = buf[off + 9];
  const flags2 = u16(buf, off + 10);
  const status = flags2 & FLAGS2_NT_STATUS ? u32(buf, off + 5) : (buf[off + 5] << 16) | u16(buf, off + 7);
  return {
    command: buf[off + 4],
    status,
    flags,
    flags2,
    tid: u16(buf, off + 24),
    pid: u16(buf, off + 26) + u16(buf, off + 12) * 0x10000,
    uid: u16(buf, off + 28),
    mid: u16(buf, off + 30),
    reply: (flags & FLAGS_REPLY) !== 0,
    unicode: (flags2 & FLAGS2_UNICODE) !== 0,
    extendedSecurity: (flags2 & FLAGS2_EXTENDED_SECURITY) !== 0,
  };
}

/** Where one command's parameter words and data bytes lie inside the message. */
export interface Smb1Block {
  /** Offset of the WordCount byte. */
  at: number;
  wc: number;
  words: number;
  bytes: number;
  /** End of the data bytes (clamped to the message). */
  bytesEnd: number;
}

/** The parameter/data block at `at` (the header's end, or an AndX offset). */
export function smb1Block(buf: Uint8Array, msg: number, len: number, at: number): Smb1Block | null {
  const end = msg + len;
  if (at >= end) return null;
  const wc = buf[at];
  const words = at + 1;
  const bc = words + 2 * wc;
  if (bc + 2 > end) return null;
  const bytes = bc + 2;
  return { at, wc, words, bytes, bytesEnd: Math.min(end, bytes + u16(buf, bc)) };
}

/** The next block of an AndX chain, or null at its end (offsets must move forward). */
export function smb1AndX(buf: Uint8Array, msg: number, len: number, b: Smb1Block): { command: number; block: Smb1Block } | null {
  if (b.wc < 2) return null;
  const cmd = buf[b.words];
  const next = msg + u16(buf, b.words + 2);
  if (cmd === SMB1_NO_ANDX || next <= b.at) return null;
  const nb = smb1Block(buf, msg, len, next);
  return nb === null ? null : { command: cmd, block: nb };
}

/** NEGOTIATE request: the dialect strings in offer order. */
export function parseNegotiateRequest(buf: Uint8Array, b: Smb1Block): string[] {
  const out: string[] = [];
  let p = b.bytes;
  while (p < b.bytesEnd && out.length < MAX_DIALECTS) {
    if (buf[p] !== DIALECT_BUFFER_FORMAT) break;
    const s = readSmbString(buf, p + 1, b.bytesEnd, false);
    if (s === null) break;
    out.push(s.s);
    p = s.next;
  }
  return out;
}

export interface Smb1NegotiateResponse {
  dialectIndex: number;
  securityMode?: number;
  capabilities?: number;
  /** Security blob bounds (extended security). */
  blobOff?: number;
  blobLen?: number;
  domain?: string;
  server?: string;
}

/** NEGOTIATE response in its three shapes: core (1 word), LANMAN (13), NT LM 0.12 (17). */
export function parseNegotiateResponse(buf: Uint8Array, h: Smb1Header, b: Smb1Block): Smb1NegotiateResponse | null {
  if (b.wc < 1) return null;
  const w = b.words;
  const r: Smb1NegotiateResponse = { dialectIndex: u16(buf, w) };
  if (b.wc === 13) {
    r.securityMode = u16(buf, w + 2);
  } else if (b.wc === 17) {
    r.securityMode = buf[w + 2];
    r.capabilities = u32(buf, w + 19);
    const challengeLen = buf[w + 33];
    const GUID_LEN = 16;
    if (r.capabilities & CAP_EXTENDED_SECURITY) {
      const blob = b.bytes + GUID_LEN;
      if (blob < b.bytesEnd) {
        r.blobOff = blob;
        r.blobLen = b.bytesEnd - blob;
      }
    } else {
      // DomainName and ServerName follow the challenge without alignment padding.
      const d = readSmbString(buf, b.bytes + challengeLen, b.bytesEnd, h.unicode);
      if (d !== null) {
        r.domain = d.s;
        const s = readSmbString(buf, d.next, b.bytesEnd, h.unicode);
        if (s !== null) r.server = s.s;
      }
    }
  }
  return r;
}

export interface Smb1SessionSetupRequest {
  blobOff?: number;
  blobLen?: number;
  /** Lengths only: the passwords themselves are never kept. */
  passwordLen: number;
  unicodePasswordLen: number;
  /** Where the (OEM or only) password lies, for the caller's digest; never logged. */
  passwordOff?: number;
  account?: string;
  domain?: string;
  nativeOs?: string;
  nativeLanman?: string;
}

export function parseSessionSetupRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): Smb1SessionSetupRequest | null {
  const w = b.words;
  const r: Smb1SessionSetupRequest = { passwordLen: 0, unicodePasswordLen: 0 };
  let p: number;
  const names: ('account' | 'domain' | 'nativeOs' | 'nativeLanman')[] = [];
  if (b.wc === 12) {
    const blobLen = u16(buf, w + 14);
    r.blobOff = b.bytes;
    r.blobLen = Math.min(blobLen, b.bytesEnd - b.bytes);
    p = b.bytes + blobLen;
    // MS-SMB §2.2.4.6.1 lists two strings; Windows and Samba send a third, the primary domain.
    names.push('nativeOs', 'nativeLanman', 'domain');
  } else if (b.wc === 13) {
    r.passwordLen = u16(buf, w + 14);
    r.unicodePasswordLen = u16(buf, w + 16);
    r.passwordOff = b.bytes;
    p = b.bytes + r.passwordLen + r.unicodePasswordLen;
    names.push('account', 'domain', 'nativeOs', 'nativeLanman');
  } else if (b.wc === 10) {
    r.passwordLen = u16(buf, w + 14);
    r.passwordOff = b.bytes;
    p = b.bytes + r.passwordLen;
    names.push('account', 'domain', 'nativeOs', 'nativeLanman');
  } else return null;
  for (const n of names) {
    const s = readSmbString(buf, p, b.bytesEnd, h.unicode, msg);
    if (s === null) break;
    r[n] = s.s;
    p = s.next;
  }
  return r;
}

export interface Smb1SessionSetupResponse {
  action: number;
  blobOff?: number;
  blobLen?: number;
  nativeOs?: string;
  nativeLanman?: string;
  domain?: string;
}

export function parseSessionSetupResponse(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): Smb1SessionSetupResponse | null {
  const w = b.words;
  if (b.wc !== 3 && b.wc !== 4) return null;
  const r: Smb1SessionSetupResponse = { action: u16(buf, w + 4) };
  let p = b.bytes;
  if (b.wc === 4) {
    const blobLen = u16(buf, w + 6);
    r.blobOff = b.bytes;
    r.blobLen = Math.min(blobLen, b.bytesEnd - b.bytes);
    p = b.bytes + blobLen;
  }
  const os = readSmbString(buf, p, b.bytesEnd, h.unicode, msg);
  if (os === null) return r;
  r.nativeOs = os.s;
  const lm = readSmbString(buf, os.next, b.bytesEnd, h.unicode, msg);
  if (lm === null) return r;
  r.nativeLanman = lm.s;
  const dom = readSmbString(buf, lm.next, b.bytesEnd, h.unicode, msg);
  if (dom !== null) r.domain = dom.s;
  return r;
}

/** TREE_CONNECT_ANDX request: share path (\\server\share) and requested service. */
export function parseTreeConnectRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { path: string; service?: string } | null {
  if (b.wc !== 4) return null;
  const pwLen = u16(buf, b.words + 6);
  const path = readSmbString(buf, b.bytes + pwLen, b.bytesEnd, h.unicode, msg);
  if (path === null) return null;
  const svc = readSmbString(buf, path.next, b.bytesEnd, false);
  return svc === null ? { path: path.s } : { path: path.s, service: svc.s };
}

/** TREE_CONNECT_ANDX response: service type ("A:", "IPC" …) and native file system. */
export function parseTreeConnectResponse(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { service: string; nativeFs?: string } | null {
  if (b.wc < 3) return null;
  const svc = readSmbString(buf, b.bytes, b.bytesEnd, false);
  if (svc === null) return null;
  const fs = readSmbString(buf, svc.next, b.bytesEnd, h.unicode, msg);
  return fs === null ? { service: svc.s } : { service: svc.s, nativeFs: fs.s };
}

/** NT_CREATE_ANDX request: the file name (relative to the tree). */
export function parseNtCreateRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { name: string } | null {
  if (b.wc !== 24) return null;
  const n = readSmbString(buf, b.bytes, b.bytesEnd, h.unicode, msg);
  return n === null ? null : { name: n.s };
}

export interface Smb1CreateResponse {
  fid: number;
  size: number;
  times: FileTimes;
  directory: boolean;
}

/** NT_CREATE_ANDX response (34 words, or the 42/50-word extended form). */
export function parseNtCreateResponse(buf: Uint8Array, b: Smb1Block): Smb1CreateResponse | null {
  if (b.wc < 34) return null;
  const w = b.words;
  return {
    fid: u16(buf, w + 5),
    times: { created: filetime(buf, w + 11), accessed: filetime(buf, w + 19), modified: filetime(buf, w + 27), changed: filetime(buf, w + 35) },
    size: u64(buf, w + 55),
    directory: buf[w + 67] !== 0,
  };
}

/** OPEN_ANDX request (MS-CIFS §2.2.4.41.1): the file name. */
export function parseOpenAndxRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { name: string } | null {
  if (b.wc !== 15) return null;
  const n = readSmbString(buf, b.bytes, b.bytesEnd, h.unicode, msg);
  return n === null ? null : { name: n.s };
}

/** OPEN_ANDX response (§2.2.4.41.2): FID, size and last write time (UTIME seconds). */
export function parseOpenAndxResponse(buf: Uint8Array, b: Smb1Block): Smb1CreateResponse | null {
  if (b.wc < 15) return null;
  const w = b.words;
  const lastWrite = u32(buf, w + 8);
  const modified = lastWrite === 0 ? null : lastWrite;
  return { fid: u16(buf, w + 4), size: u32(buf, w + 12), times: { created: null, accessed: null, modified, changed: null }, directory: false };
}

/** Path names in SMB_COM_DELETE and SMB_COM_RENAME follow a buffer format byte of 0x04 (MS-CIFS 2.2.1.1). */
const BUFFER_FORMAT_ASCII = 0x04;

/** DELETE request (MS-CIFS 2.2.4.7.1): SearchAttributes, then the name (wildcards allowed). */
export function parseDeleteRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { name: string } | null {
  if (b.wc !== 1 || b.bytes >= b.bytesEnd || buf[b.bytes] !== BUFFER_FORMAT_ASCII) return null;
  const n = readSmbString(buf, b.bytes + 1, b.bytesEnd, h.unicode, msg);
  return n === null || n.s === '' ? null : { name: n.s };
}

/** RENAME request (MS-CIFS 2.2.4.8.1): SearchAttributes, then the old name and the new one. */
export function parseRenameRequest(buf: Uint8Array, msg: number, h: Smb1Header, b: Smb1Block): { from: string; to: string } | null {
  if (b.wc !== 1 || b.bytes >= b.bytesEnd || buf[b.bytes] !== BUFFER_FORMAT_ASCII) return null;
  const from = readSmbString(buf, b.bytes + 1, b.bytesEnd, h.unicode, msg);
  if (from === null || from.s === '' || from.next >= b.bytesEnd || buf[from.next] !== BUFFER_FORMAT_ASCII) return null;
  const to = readSmbString(buf, from.next + 1, b.bytesEnd, h.unicode, msg);
  return to === null || to.s === '' ? null : { from: from.s, to: to.s };
}

/** The FID that CLOSE, READ_ANDX and WRITE_ANDX requests name, or -1. */
export function requestFid(buf: Uint8Array, command: number, b: Smb1Block): number {
  if (command === SMB1_CLOSE && b.wc >= 1) return u16(buf, b.words);
  if ((command === SMB1_READ_ANDX || command === SMB1_WRITE_ANDX) && b.wc >= 3) return u16(buf, b.words + 4);
  return -1;
}

/** Dialects that are SMB1 (everything but the SMB2 negotiation strings). */
export function isSmb2Dialect(d: string): boolean {
  return d === 'SMB 2.002' || d === 'SMB 2.???';
}

/**
 * The file offset of a READ_ANDX request (Offset at word 6, OffsetHigh at word 20 when WordCount
 * is 12; MS-CIFS §2.2.4.42.1) or WRITE_ANDX request (Offset at 6, OffsetHigh at 24 when WordCount
 * is 14; §2.2.4.43.1), or null.
 */
export function ioOffset(buf: Uint8Array, command: number, b: Smb1Block): number | null {
  const w = b.words;
  if (command === SMB1_READ_ANDX && (b.wc === 10 || b.wc === 12)) return u32(buf, w + 6) + (b.wc === 12 ? u32(buf, w + 20) * 0x100000000 : 0);
  if (command === SMB1_WRITE_ANDX && (b.wc === 12 || b.wc === 14)) return u32(buf, w + 6) + (b.wc === 14 ? u32(buf, w + 24) * 0x100000000 : 0);
  return null;
}

/** The three transaction families: each primary's own secondary command (MS-CIFS §2.2.4.34, .46, .62, .63). */
export const TRANS_SECONDARY: Readonly<Record<number, number>> = {
  [SMB1_TRANSACTION]: SMB1_TRANSACTION_SECONDARY,
  [SMB1_TRANSACTION2]: SMB1_TRANSACTION2_SECONDARY,
  [SMB1_NT_TRANSACT]: SMB1_NT_TRANSACT_SECONDARY,
};

export const SMB1_COMMAND_NAMES: Readonly<Record<number, string>> = {
  [SMB1_TRANSACTION]: 'TRANSACTION',
  [SMB1_TRANSACTION_SECONDARY]: 'TRANSACTION_SECONDARY',
  [SMB1_TRANSACTION2]: 'TRANSACTION2',
  [SMB1_TRANSACTION2_SECONDARY]: 'TRANSACTION2_SECONDARY',
  [SMB1_NT_TRANSACT]: 'NT_TRANSACT',
  [SMB1_NT_TRANSACT_SECONDARY]: 'NT_TRANSACT_SECONDARY',
};

/** A transaction's primary request: what it announced and what it carried. */
export interface Smb1TransPrimary {
  /** NT_TRANSACT's Function; TRANSACTION and TRANSACTION2's first setup word (-1 without one). */
  func: number;
  /** The first setup word (-1 without one). */
  setup0: number;
  totalParams: number;
  totalData: number;
  params: number;
  data: number;
  /** Where its data starts in the buffer (clamped to the message), and the message's end. */
  dataOff: number;
  end: number;
}

/**
 * A TRANSACTION or TRANSACTION2 request (WordCount 14 + SetupCount: TotalParameterCount,
 * TotalDataCount at words 0–1, ParameterCount word 9, DataCount word 11, DataOffset word 12,
 * SetupCount word 13; MS-CIFS §2.2.4.33.1, §2.2.4.46.1) or an NT_TRANSACT request (WordCount
 * 19 + SetupCount: 32-bit counts after MaxSetupCount and 2 reserved bytes, SetupCount at byte
 * 35, Function at 36; §2.2.4.62.1). Null when the words are too few.
 */
export function parseTransPrimary(buf: Uint8Array, msg: number, len: number, command: number, b: Smb1Block): Smb1TransPrimary | null {
  const w = b.words;
  const end = msg + len;
  if (command === SMB1_NT_TRANSACT) {
    if (b.wc < 19) return null;
    const setupCount = buf[w + 35];
    const setup0 = setupCount > 0 && b.wc >= 19 + setupCount ? u16(buf, w + 38) : -1;
    return { func: u16(buf, w + 36), setup0, totalParams: u32(buf, w + 3), totalData: u32(buf, w + 7), params: u32(buf, w + 19), data: u32(buf, w + 27), dataOff: Math.min(end, msg + u32(buf, w + 31)), end };
  }
  if (b.wc < 14) return null;
  const setupCount = buf[w + 26];
  const setup0 = setupCount > 0 && b.wc >= 14 + setupCount ? u16(buf, w + 28) : -1;
  return { func: setup0, setup0, totalParams: u16(buf, w), totalData: u16(buf, w + 2), params: u16(buf, w + 18), data: u16(buf, w + 22), dataOff: Math.min(end, msg + u16(buf, w + 24)), end };
}
