// Oracle Net (TNS) session set-up: the packet header (length, type), the client's CONNECT
// with its connect descriptor — service name or SID, and the CID naming the client's program,
// host and OS user — and the listener's answer: ACCEPT, REFUSE (whose descriptor carries the
// error code and the listener's version number VSNNUM), REDIRECT (another address) or RESEND.
// Everything after ACCEPT is the database session (TTC), which this parser does not read.
//
// Layout (big-endian), as Wireshark's packet-tns.c and Arkime read it: header = packet length
// u16, packet checksum u16, type u8, reserved u8, header checksum u16. CONNECT: version u16 (8),
// compatible version (10), service options (12), SDU (14), TDU (16), NT characteristics (18),
// line turnaround (20), value of one (22), connect data length (24), connect data offset (26,
// from the packet's start). REFUSE: user reason u8 (8), system reason u8 (9), data length u16
// (10), data (12). REDIRECT: data length u16 (8), data (10). DATA: flags u16 (8), payload (10).

export const TNS_PORT = 1521;
export const HEADER_LEN = 8;
export const CONNECT_MIN = 34;

export const TYPE_CONNECT = 1;
export const TYPE_ACCEPT = 2;
export const TYPE_REFUSE = 4;
export const TYPE_REDIRECT = 5;
export const TYPE_DATA = 6;
export const TYPE_RESEND = 11;

/** Longest connect descriptor read (Oracle caps one at 4 KiB). */
export const MAX_DESCRIPTOR = 4096;
/** Largest CONNECT packet: the fixed part and padding before a 4 KiB descriptor (first length byte ≤ 0x10). */
export const MAX_CONNECT = 0x10ff;

function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export interface TnsHeader {
  length: number;
  type: number;
}

export function parseHeader(b: Uint8Array, off: number, len: number): TnsHeader | null {
  if (len < HEADER_LEN) return null;
  const length = be16(b, off);
  const type = b[off + 4];
  if (length < HEADER_LEN || type < 1 || type > 19) return null;
  return { length, type };
}

export interface Connect {
  version: number;
  /** The descriptor when the packet holds it; null when it follows in a DATA packet. */
  descriptor: string | null;
  /** Its announced length. */
  descriptorLen: number;
}

/** A CONNECT packet (the whole packet at `off`, `len` bytes of it present). */
export function parseConnect(b: Uint8Array, off: number, len: number): Connect | null {
  const h = parseHeader(b, off, len);
  // A CONNECT holds the fixed part and at most a 4 KiB descriptor (longer ones travel in DATA).
  if (h === null || h.type !== TYPE_CONNECT || len < CONNECT_MIN || h.length > MAX_CONNECT) return null;
  const version = be16(b, off + 8);
  const cdLen = be16(b, off + 24);
  const cdOff = be16(b, off + 26);
  // Versions run from 0x0134 (8.0) to 0x013F and beyond; the descriptor starts after the fixed part.
  if (version < 0x0100 || version > 0x0200 || cdOff < CONNECT_MIN || cdLen === 0 || cdLen > MAX_DESCRIPTOR) return null;
  const inPacket = cdOff + cdLen <= Math.min(h.length, len);
  return { version, descriptor: inPacket ? text(b, off + cdOff, cdLen) : null, descriptorLen: cdLen };
}

function text(b: Uint8Array, off: number, n: number): string {
  return Buffer.from(b.buffer, b.byteOffset + off, n).toString('latin1');
}

/** The descriptor a REFUSE (12), REDIRECT (10) or DATA (10) packet carries. */
export function packetText(b: Uint8Array, off: number, len: number, type: number): string | null {
  const h = parseHeader(b, off, len);
  if (h === null) return null;
  const end = Math.min(len, h.length);
  if (type === TYPE_REFUSE) {
    if (end < 12) return null;
    const n = Math.min(be16(b, off + 10), end - 12, MAX_DESCRIPTOR);
    return text(b, off + 12, n);
  }
  if (type === TYPE_REDIRECT) {
    if (end < 10) return null;
    const n = Math.min(be16(b, off + 8), end - 10, MAX_DESCRIPTOR);
    return text(b, off + 10, n);
  }
  if (end < 10) return null;
  return text(b, off + 10, Math.min(end - 10, MAX_DESCRIPTOR));
}

/** Whether bytes look like a connect descriptor (its keyword list). */
export function isDescriptor(s: string): boolean {
  return /^\s*\(\s*(DESCRIPTION|ADDRESS|CONNECT_DATA|ADDRESS_LIST)\s*=/i.test(s);
}

export type DescriptorFields = {
  service_name?: string;
  sid?: string;
  program?: string;
  client_host?: string;
  user?: string;
  server_host?: string;
  server_port?: number;
  error?: number;
  server_version?: string;
};

/** The value of `key` inside the first `(section=…)` of the descriptor, or anywhere when section is null. */
function field(s: string, key: string, section: string | null): string | undefined {
  let scope = s;
  if (section !== null) {
    const i = s.search(new RegExp(`\\(\\s*${section}\\s*=`, 'i'));
    if (i < 0) return undefined;
    scope = s.slice(i);
  }
  const m = new RegExp(`\\(\\s*${key}\\s*=\\s*([^()]*?)\\s*\\)`, 'i').exec(scope);
  if (m === null || m[1] === '') return undefined;
  // Control characters would forge log lines: such a value is not kept.
  return /[\x00-\x1f\x7f]/.test(m[1]) ? undefined : m[1].slice(0, 256);
}

/** VSNNUM: the listener's version, 8 bits major, 4 maintenance, 8 app server, 4 component, 8 platform. */
export function vsnText(n: number): string {
  return `${n >>> 24}.${(n >>> 20) & 0xf}.${(n >>> 12) & 0xff}.${(n >>> 8) & 0xf}.${n & 0xff}`;
}

export function descriptorFields(s: string): DescriptorFields {
  const out: DescriptorFields = {};
  const set = <K extends keyof DescriptorFields>(k: K, v: DescriptorFields[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('service_name', field(s, 'SERVICE_NAME', null));
  set('sid', field(s, 'SID', null));
  set('program', field(s, 'PROGRAM', 'CID'));
  set('client_host', field(s, 'HOST', 'CID'));
  set('user', field(s, 'USER', 'CID'));
  set('server_host', field(s, 'HOST', 'ADDRESS'));
  const port = field(s, 'PORT', 'ADDRESS');
  if (port !== undefined && /^\d{1,5}$/.test(port)) out.server_port = Number(port);
  const err = field(s, 'ERR', null);
  if (err !== undefined && /^\d{1,6}$/.test(err)) out.error = Number(err);
  const vsn = field(s, 'VSNNUM', null);
  if (vsn !== undefined && /^\d{1,10}$/.test(vsn) && Number(vsn) > 0 && Number(vsn) < 2 ** 32) out.server_version = vsnText(Number(vsn));
  return out;
}

// ---- Secure Network Services (Advanced Networking Option) negotiation ---------------------
// The first DATA packets after ACCEPT carry it: 0xDEADBEEF, packet length u16, version u32,
// number of services u16, error flags u8, then per service: type u16 (1 authentication,
// 2 encryption, 3 data integrity, 4 supervisor), sub-packet count u16, error u32, and
// sub-packets of length u16, type u16, value. The client lists the algorithms it offers (a
// byte list); the server answers each service with the one it chose (a UB1): 0 is none.

const ANO_MAGIC = 0xdeadbeef;
export const ANO_ENCRYPTION = 2;
export const ANO_INTEGRITY = 3;
const SUB_BYTES = 1;
const SUB_UB1 = 2;
const MAX_SERVICES = 8;
const MAX_SUBS = 16;

/** Oracle's Native Network Encryption algorithm ids. */
export const ENCRYPTION_ALGORITHMS: Readonly<Record<number, string>> = {
  0: 'none', 1: 'RC4_40', 2: 'DES', 3: 'DES40', 6: 'RC4_256', 8: 'RC4_56', 10: 'RC4_128', 11: '3DES112', 12: '3DES168', 15: 'AES128', 16: 'AES192', 17: 'AES256',
};
export const INTEGRITY_ALGORITHMS: Readonly<Record<number, string>> = { 0: 'none', 1: 'MD5', 3: 'SHA1', 4: 'SHA512', 5: 'SHA256', 6: 'SHA384' };

export interface AnoService {
  type: number;
  /** Offered algorithm ids (a client's byte list). */
  offered: number[];
  /** The chosen algorithm id (a server's UB1), or -1. */
  chosen: number;
}

/** The services of an ANO negotiation starting at `off` (the DATA payload), or null. */
export function parseAno(b: Uint8Array, off: number, end: number): AnoService[] | null {
  if (off + 13 > end) return null;
  if ((((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0) !== ANO_MAGIC) return null;
  const n = be16(b, off + 10);
  let o = off + 13;
  const out: AnoService[] = [];
  for (let i = 0; i < n && i < MAX_SERVICES && o + 8 <= end; i++) {
    const svc: AnoService = { type: be16(b, o), offered: [], chosen: -1 };
    const subs = be16(b, o + 2);
    o += 8;
    for (let k = 0; k < subs && k < MAX_SUBS && o + 4 <= end; k++) {
      const len = be16(b, o);
      const type = be16(b, o + 2);
      const v = o + 4;
      if (v + len > end) return out;
      if (type === SUB_BYTES && svc.offered.length === 0) for (let j = v; j < v + len && j < v + 32; j++) svc.offered.push(b[j]);
      if (type === SUB_UB1 && len === 1) svc.chosen = b[v];
      o = v + len;
    }
    out.push(svc);
  }
  return out;
}
