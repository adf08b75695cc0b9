// SMB2/SMB3 (MS-SMB2): the sync/async header (§2.2.1), NEGOTIATE with SMB 3.1.1 negotiate
// contexts (§2.2.3, §2.2.4), SESSION_SETUP (§2.2.5, §2.2.6), TREE_CONNECT (§2.2.9, §2.2.10),
// CREATE (§2.2.13, §2.2.14) and the FileId of CLOSE/READ/WRITE, plus the transform header
// (§2.2.41). Offsets inside a message are relative to its SMB2 header (`off`).
import { filetime, u16, u32, u64, utf16, type FileTimes } from './parse.js';

export const SMB2_HEADER_LEN = 64;
export const SMB2_TRANSFORM_HEADER_LEN = 52;

export const SMB2_NEGOTIATE = 0x0000;
export const SMB2_SESSION_SETUP = 0x0001;
export const SMB2_LOGOFF = 0x0002;
export const SMB2_TREE_CONNECT = 0x0003;
export const SMB2_TREE_DISCONNECT = 0x0004;
export const SMB2_CREATE = 0x0005;
export const SMB2_CLOSE = 0x0006;
export const SMB2_READ = 0x0008;
export const SMB2_WRITE = 0x0009;
export const SMB2_SET_INFO = 0x0011;

const FLAGS_SERVER_TO_REDIR = 0x00000001;
const FLAGS_ASYNC_COMMAND = 0x00000002;

// Negotiate context types (§2.2.3.1).
export const CTX_PREAUTH_INTEGRITY = 0x0001;
export const CTX_ENCRYPTION = 0x0002;
export const CTX_COMPRESSION = 0x0003;
export const CTX_NETNAME = 0x0005;
export const CTX_TRANSPORT = 0x0006;
export const CTX_RDMA_TRANSFORM = 0x0007;
export const CTX_SIGNING = 0x0008;
const CTX_HEADER_LEN = 8;
const MAX_CONTEXTS = 32;
const MAX_LIST = 32;

export const DIALECT_SMB311 = 0x0311;
/** SMB2 wildcard revision a server answers an SMB1 multi-protocol NEGOTIATE with. */
export const DIALECT_WILDCARD = 0x02ff;
const MAX_DIALECTS = 64;

const COMPRESSION_NAMES: Record<number, string> = { 0: 'NONE', 1: 'LZNT1', 2: 'LZ77', 3: 'LZ77+Huffman', 4: 'Pattern_V1', 5: 'LZ4' };
const CIPHER_NAMES: Record<number, string> = { 1: 'AES-128-CCM', 2: 'AES-128-GCM', 3: 'AES-256-CCM', 4: 'AES-256-GCM' };
const SIGNING_NAMES: Record<number, string> = { 0: 'HMAC-SHA256', 1: 'AES-CMAC', 2: 'AES-GMAC' };

/** "3.1.1" for 0x0311, "2.0.2" for 0x0202; Microsoft's names for the revisions. */
export function dialectName(d: number): string {
  switch (d) {
    case 0x0202:
      return '2.0.2';
    case 0x0210:
      return '2.1';
    case 0x0222:
      return '2.2.2';
    case 0x0224:
      return '2.2.4';
    case 0x0300:
      return '3.0';
    case 0x0302:
      return '3.0.2';
    case 0x0310:
      return '3.1';
    case 0x0311:
      return '3.1.1';
    case DIALECT_WILDCARD:
      return '2.???';
    default:
      return `0x${d.toString(16).padStart(4, '0')}`;
  }
}

export interface Smb2Header {
  command: number;
  status: number;
  flags: number;
  response: boolean;
  async: boolean;
  nextCommand: number;
  messageId: number;
  treeId: number;
  sessionId: number;
}

export function parseSmb2Header(buf: Uint8Array, off: number, len: number): Smb2Header | null {
  if (len < SMB2_HEADER_LEN || buf[off] !== 0xfe || buf[off + 1] !== 0x53 || buf[off + 2] !== 0x4d || buf[off + 3] !== 0x42) return null;
  if (u16(buf, off + 4) !== SMB2_HEADER_LEN) return null;
  const flags = u32(buf, off + 16);
  const async = (flags & FLAGS_ASYNC_COMMAND) !== 0;
  return {
    command: u16(buf, off + 12),
    status: u32(buf, off + 8),
    flags,
    response: (flags & FLAGS_SERVER_TO_REDIR) !== 0,
    async,
    nextCommand: u32(buf, off + 20),
    messageId: u64(buf, off + 24),
    treeId: async ? -1 : u32(buf, off + 36),
    sessionId: u64(buf, off + 40),
  };
}

export interface NegotiateContexts {
  compressionOffered: boolean;
  compressionAlgorithms?: string[];
  ciphers?: string[];
  signingAlgorithms?: string[];
  netname?: string;
  types: number[];
}

function names(buf: Uint8Array, p: number, count: number, end: number, table: Record<number, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < count && i < MAX_LIST && p + 2 <= end; i++, p += 2) {
    const v = u16(buf, p);
    out.push(table[v] ?? `0x${v.toString(16)}`);
  }
  return out;
}

/** Negotiate context list at `first` (8-byte aligned from the header at `msg`). */
function parseContexts(buf: Uint8Array, msg: number, end: number, first: number, count: number): NegotiateContexts {
  const r: NegotiateContexts = { compressionOffered: false, types: [] };
  let p = first;
  for (let i = 0; i < count && i < MAX_CONTEXTS; i++) {
    p = msg + ((p - msg + 7) & ~7);
    if (p + CTX_HEADER_LEN > end) break;
    const type = u16(buf, p);
    const dlen = u16(buf, p + 2);
    const d = p + CTX_HEADER_LEN;
    const dend = Math.min(d + dlen, end);
    r.types.push(type);
    if (type === CTX_COMPRESSION && d + 8 <= dend) {
      const n = u16(buf, d);
      const algs = names(buf, d + 8, n, dend, COMPRESSION_NAMES);
      r.compressionAlgorithms = algs;
      r.compressionOffered = algs.some((a) => a !== 'NONE');
    } else if (type === CTX_ENCRYPTION && d + 2 <= dend) {
      r.ciphers = names(buf, d + 2, u16(buf, d), dend, CIPHER_NAMES);
    } else if (type === CTX_SIGNING && d + 2 <= dend) {
      r.signingAlgorithms = names(buf, d + 2, u16(buf, d), dend, SIGNING_NAMES);
    } else if (type === CTX_NETNAME && dend > d) {
      r.netname = utf16(buf, d, dend - d).replace(/\0+$/, '');
    }
    p = d + dlen;
  }
  return r;
}

export interface Smb2NegotiateRequest {
  dialects: number[];
  securityMode: number;
  capabilities: number;
  contexts?: NegotiateContexts;
}

export function parseNegotiateRequest(buf: Uint8Array, off: number, len: number): Smb2NegotiateRequest | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  if (b + 36 > end) return null;
  const count = u16(buf, b + 2);
  const dialects: number[] = [];
  for (let i = 0; i < count && i < MAX_DIALECTS && b + 36 + 2 * i + 2 <= end; i++) dialects.push(u16(buf, b + 36 + 2 * i));
  const r: Smb2NegotiateRequest = { dialects, securityMode: u16(buf, b + 4), capabilities: u32(buf, b + 8) };
  if (dialects.includes(DIALECT_SMB311)) {
    const ctxOff = u32(buf, b + 28);
    const ctxCount = u16(buf, b + 32);
    if (ctxCount > 0 && ctxOff >= SMB2_HEADER_LEN && off + ctxOff < end) r.contexts = parseContexts(buf, off, end, off + ctxOff, ctxCount);
  }
  return r;
}

export interface Smb2NegotiateResponse {
  dialect: number;
  securityMode: number;
  capabilities: number;
  blobOff?: number;
  blobLen?: number;
  contexts?: NegotiateContexts;
}

export function parseNegotiateResponse(buf: Uint8Array, off: number, len: number): Smb2NegotiateResponse | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  if (b + 64 > end || u16(buf, b) !== 65) return null;
  const r: Smb2NegotiateResponse = { securityMode: u16(buf, b + 2), dialect: u16(buf, b + 4), capabilities: u32(buf, b + 24) };
  const sbOff = u16(buf, b + 56);
  const sbLen = u16(buf, b + 58);
  if (sbLen > 0 && sbOff >= SMB2_HEADER_LEN && off + sbOff < end) {
    r.blobOff = off + sbOff;
    r.blobLen = Math.min(sbLen, end - r.blobOff);
  }
  const ctxCount = u16(buf, b + 6);
  const ctxOff = u32(buf, b + 60);
  if (r.dialect === DIALECT_SMB311 && ctxCount > 0 && ctxOff >= SMB2_HEADER_LEN && off + ctxOff < end) r.contexts = parseContexts(buf, off, end, off + ctxOff, ctxCount);
  return r;
}

/** Security buffer of a SESSION_SETUP request or response. */
export function parseSessionSetup(buf: Uint8Array, off: number, len: number, response: boolean): { sessionFlags: number; blobOff?: number; blobLen?: number } | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  const at = response ? 4 : 12;
  if (b + at + 4 > end) return null;
  const r: { sessionFlags: number; blobOff?: number; blobLen?: number } = { sessionFlags: response ? u16(buf, b + 2) : 0 };
  const sbOff = u16(buf, b + at);
  const sbLen = u16(buf, b + at + 2);
  if (sbLen > 0 && sbOff >= SMB2_HEADER_LEN && off + sbOff < end) {
    r.blobOff = off + sbOff;
    r.blobLen = Math.min(sbLen, end - r.blobOff);
  }
  return r;
}

/** TREE_CONNECT request: the share path (\\server\share). */
export function parseTreeConnectRequest(buf: Uint8Array, off: number, len: number): string | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  if (b + 8 > end) return null;
  const pOff = u16(buf, b + 4);
  const pLen = u16(buf, b + 6);
  if (pOff < SMB2_HEADER_LEN || off + pOff + pLen > end) return null;
  return utf16(buf, off + pOff, pLen);
}

export const SHARE_TYPES: Record<number, string> = { 1: 'DISK', 2: 'PIPE', 3: 'PRINT' };

export function parseTreeConnectResponse(buf: Uint8Array, off: number, len: number): { shareType: number; shareFlags: number; capabilities: number } | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 16 > off + len || u16(buf, b) !== 16) return null;
  return { shareType: buf[b + 2], shareFlags: u32(buf, b + 4), capabilities: u32(buf, b + 8) };
}

/** CREATE request: the name relative to the share ("" is the share root). */
export function parseCreateRequest(buf: Uint8Array, off: number, len: number): { name: string; disposition: number; options: number } | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  if (b + 56 > end || u16(buf, b) !== 57) return null;
  const nOff = u16(buf, b + 44);
  const nLen = u16(buf, b + 46);
  let name = '';
  if (nLen > 0 && nOff >= SMB2_HEADER_LEN && off + nOff + nLen <= end) name = utf16(buf, off + nOff, nLen);
  return { name, disposition: u32(buf, b + 36), options: u32(buf, b + 40) };
}

export interface Smb2CreateResponse {
  createAction: number;
  times: FileTimes;
  size: number;
  fileId: string;
  directory: boolean;
}

const FILE_ATTRIBUTE_DIRECTORY = 0x10;

export function parseCreateResponse(buf: Uint8Array, off: number, len: number): Smb2CreateResponse | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 88 > off + len || u16(buf, b) !== 89) return null;
  return {
    createAction: u32(buf, b + 4),
    times: { created: filetime(buf, b + 8), accessed: filetime(buf, b + 16), modified: filetime(buf, b + 24), changed: filetime(buf, b + 32) },
    size: u64(buf, b + 48),
    directory: (u32(buf, b + 56) & FILE_ATTRIBUTE_DIRECTORY) !== 0,
    fileId: fileIdAt(buf, b + 64),
  };
}

function fileIdAt(buf: Uint8Array, p: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + p, 16).toString('hex');
}

/** The FileId a CLOSE, READ or WRITE request names, or null. */
export function requestFileId(buf: Uint8Array, off: number, len: number, command: number): string | null {
  const b = off + SMB2_HEADER_LEN;
  const at = command === SMB2_CLOSE ? 8 : command === SMB2_READ || command === SMB2_WRITE ? 16 : -1;
  if (at < 0 || b + at + 16 > off + len) return null;
  return fileIdAt(buf, b + at);
}

/** SET_INFO's InfoType for file information, and the classes that rename and delete (MS-FSCC 2.4). */
export const INFO_FILE = 0x01;
export const FILE_RENAME_INFORMATION = 10;
export const FILE_DISPOSITION_INFORMATION = 13;
export const FILE_DISPOSITION_INFORMATION_EX = 64;
/** CREATE's CreateOptions: delete the file when its last handle closes (§2.2.13). */
export const FILE_DELETE_ON_CLOSE = 0x00001000;

export interface SetInfoRequest {
  fileId: string;
  /** FILE_RENAME: the new name (relative to the share root); FILE_DELETE: the file is marked for deletion. */
  action: 'rename' | 'delete' | 'undelete';
  name?: string;
}

/**
 * A SET_INFO request (§2.2.39) that renames a file (FileRenameInformation: ReplaceIfExists,
 * RootDirectory, FileNameLength, FileName) or sets its delete disposition
 * (FileDispositionInformation's DeletePending, FileDispositionInformationEx's FILE_DISPOSITION_DELETE);
 * null for anything else.
 */
export function parseSetInfoRequest(buf: Uint8Array, off: number, len: number): SetInfoRequest | null {
  const b = off + SMB2_HEADER_LEN;
  const end = off + len;
  if (b + 32 > end || u16(buf, b) !== 33 || buf[b + 2] !== INFO_FILE) return null;
  const cls = buf[b + 3];
  const bLen = u32(buf, b + 4);
  const bOff = u16(buf, b + 8);
  const fileId = fileIdAt(buf, b + 16);
  const d = off + bOff;
  if (bOff < SMB2_HEADER_LEN || d + bLen > end) return null;
  if (cls === FILE_RENAME_INFORMATION) {
    if (bLen < 20) return null;
    const nLen = u32(buf, d + 16);
    if (nLen === 0 || nLen > 2048 || d + 20 + nLen > end) return null;
    return { fileId, action: 'rename', name: utf16(buf, d + 20, nLen) };
  }
  if (cls === FILE_DISPOSITION_INFORMATION && bLen >= 1) return { fileId, action: buf[d] !== 0 ? 'delete' : 'undelete' };
  if (cls === FILE_DISPOSITION_INFORMATION_EX && bLen >= 4) return { fileId, action: (u32(buf, d) & 1) !== 0 ? 'delete' : 'undelete' };
  return null;
}

/** Transform header (§2.2.41): the session an encrypted message belongs to. */
export function parseTransformHeader(buf: Uint8Array, off: number, len: number): { originalSize: number; sessionId: number } | null {
  if (len < SMB2_TRANSFORM_HEADER_LEN || buf[off] !== 0xfd) return null;
  return { originalSize: u32(buf, off + 36), sessionId: u64(buf, off + 44) };
}

/** The file offset a READ or WRITE request names (Offset, 8 bytes at body+8), or null. */
export function ioOffset(buf: Uint8Array, off: number, len: number): number | null {
  const b = off + SMB2_HEADER_LEN;
  if (b + 16 > off + len) return null;
  return u64(buf, b + 8);
}
