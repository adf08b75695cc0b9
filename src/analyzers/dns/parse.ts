// DNS message parser (RFC 1035 §4.1), shared by unicast DNS, mDNS (RFC 6762), LLMNR
// (RFC 4795) and NetBIOS name service (RFC 1002 §4.2, which reuses the DNS wire format with
// 32-byte first-level-encoded names and NB/NBSTAT records). Name decompression (§4.1.4)
// accepts only pointers to earlier bytes than the label that holds them, bounds the number of
// jumps and the name length, so a crafted message cannot loop or reach out of the buffer.
// Pure: bytes in, a message (possibly with `damage` set) or a status out.
import { asciiString, hexString, ipv4String, ipv6String, logString, u16, u32 } from './text.js';

export const DNS_HEADER_LEN = 12;
/** RFC 1035 §2.3.4: 255 octets on the wire; RFC 1002 names stay well below it too. */
export const MAX_NAME_WIRE = 255;
/** Pointers followed while reading one name (each must go backwards, so this is generous). */
const MAX_JUMPS = 64;
/** Zeek's dns_max_queries: more questions than this is not DNS. */
export const MAX_QUESTIONS = 25;
/** Resource records decoded per message; the rest are counted as damage. */
export const MAX_RRS = 256;
const MAX_TXT_STRINGS = 64;
const MAX_NB_ENTRIES = 64;
const NBSTAT_NAME_LEN = 18;

export const TYPE_A = 1;
export const TYPE_NS = 2;
export const TYPE_CNAME = 5;
export const TYPE_SOA = 6;
export const TYPE_WKS = 11;
export const TYPE_PTR = 12;
export const TYPE_HINFO = 13;
export const TYPE_MX = 15;
export const TYPE_TXT = 16;
export const TYPE_AAAA = 28;
/** NetBIOS general name service RR (RFC 1002 §4.2.1.3); the same number as NIMLOC in DNS. */
export const TYPE_NB = 32;
/** SRV in DNS; NBSTAT (node status) in NetBIOS (RFC 1002 §4.2.1.3). */
export const TYPE_SRV = 33;
export const TYPE_A6 = 38;
export const TYPE_DNAME = 39;
export const TYPE_OPT = 41;
export const TYPE_DS = 43;
export const TYPE_SSHFP = 44;
export const TYPE_RRSIG = 46;
export const TYPE_NSEC = 47;
export const TYPE_DNSKEY = 48;
export const TYPE_NSEC3 = 50;
export const TYPE_NSEC3PARAM = 51;
export const TYPE_SPF = 99;
export const TYPE_TSIG = 250;
export const TYPE_CAA = 257;
export const TYPE_LOC = 29;
export const TYPE_BINDS = 65534;

export const SECTION_ANSWER = 0;
export const SECTION_AUTHORITY = 1;
export const SECTION_ADDITIONAL = 2;

export type RData =
  | { kind: 'addr'; addr: string }
  | { kind: 'name'; name: string }
  | { kind: 'mx'; preference: number; name: string }
  | { kind: 'soa'; mname: string; rname: string; serial: number }
  | { kind: 'txt'; strings: { text: string; len: number }[] }
  | { kind: 'srv'; priority: number; weight: number; port: number; target: string }
  | { kind: 'hinfo'; cpu: string; os: string }
  | { kind: 'nb'; entries: { flags: number; addr: string }[] }
  | { kind: 'nbstat'; names: { name: string; suffix: number; flags: number }[]; mac?: string }
  | { kind: 'rrsig'; typeCovered: number; signer: string }
  | { kind: 'dnskey'; algorithm: number }
  | { kind: 'ds'; algorithm: number; digestType: number }
  | { kind: 'nsec'; next: string }
  | { kind: 'sshfp'; fingerprint: string }
  | { kind: 'loc'; size: number; horiz: number; vert: number }
  | { kind: 'raw' }
  | { kind: 'bad' };

export interface DnsQuestion {
  name: string;
  qtype: number;
  qclass: number;
}

export interface DnsRecord {
  section: number;
  name: string;
  type: number;
  rclass: number;
  ttl: number;
  data: RData;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The three bits between RA and RCODE (Z, AD, CD), as Zeek's Z. */
  z: number;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  questions: DnsQuestion[];
  records: DnsRecord[];
  /** Why parsing stopped early, or null when the whole message was read. */
  damage: string | null;
}

export interface ParseOptions {
  /** NetBIOS name service: NB/NBSTAT record layouts instead of NIMLOC/SRV. */
  netbios?: boolean;
}

interface Name {
  text: string;
  /** Offset just past the name where it started (not where a pointer led). */
  next: number;
}

/**
 * Reads a possibly compressed name at `pos` of the message `buf[start, end)`.
 * Returns null for a forward/self pointer, too many jumps, a reserved label type (so no label
 * exceeds 63 bytes), an over-long name, or a name running past the end.
 */
/** A name's labels gathered with their dots (at most MAX_NAME_WIRE bytes), for one string. */
const nameScratch = new Uint8Array(MAX_NAME_WIRE + 1);

export function readName(buf: Uint8Array, start: number, end: number, pos: number): Name | null {
  let p = pos;
  let next = -1;
  let jumps = 0;
  let wire = 0;
  let n = 0;
  let plain = true;
  // Pointers must go strictly below the lowest label position seen so far: no loops.
  let floor = pos;
  for (;;) {
    if (p >= end) return null;
    const l = buf[p];
    if (l === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    // 0x40 and 0x80 are reserved label types (RFC 6891 §5): nothing to read.
    const kind = l & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) return null;
      const target = start + (((l & 0x3f) << 8) | buf[p + 1]);
      if (next < 0) next = p + 2;
      if (target >= floor || ++jumps > MAX_JUMPS) return null;
      floor = target;
      p = target;
      continue;
    }
    if (kind !== 0) return null;
    if (p + 1 + l > end) return null;
    wire += l + 1;
    if (wire > MAX_NAME_WIRE) return null;
    if (n > 0) nameScratch[n++] = 0x2e; // '.'
    for (let k = p + 1; k <= p + l; k++) {
      const b = buf[k];
      if (b < 0x20 || b >= 0x7f) plain = false;
      nameScratch[n++] = b;
    }
    p += 1 + l;
  }
  if (plain) return { text: asciiString(nameScratch, 0, n), next };
  // Some label needs escaping: the same text label by label, as logString() writes it.
  let text = '';
  for (let a = 0; a < n; ) {
    let b = a;
    while (b < n && nameScratch[b] !== 0x2e) b++;
    if (a > 0) text += '.';
    text += logString(nameScratch, a, b - a);
    a = b + 1;
  }
  return { text, next };
}

export type DnsStatus = 'short';

export function parseDns(buf: Uint8Array, off: number, len: number, opts: ParseOptions = {}): DnsMessage | DnsStatus {
  if (len < DNS_HEADER_LEN) return 'short';
  const end = off + len;
  const flags = u16(buf, off + 2);
  const m: DnsMessage = {
    id: u16(buf, off),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags >> 4) & 0x7,
    rcode: flags & 0xf,
    qdcount: u16(buf, off + 4),
    ancount: u16(buf, off + 6),
    nscount: u16(buf, off + 8),
    arcount: u16(buf, off + 10),
    questions: [],
    records: [],
    damage: null,
  };
  if (m.qdcount > MAX_QUESTIONS) {
    m.damage = 'too_many_questions';
    return m;
  }
  const nb = opts.netbios === true;
  let p = off + DNS_HEADER_LEN;
  for (let i = 0; i < m.qdcount; i++) {
    const n = readName(buf, off, end, p);
    if (n === null) {
      m.damage = 'bad_question_name';
      return m;
    }
    if (n.next + 4 > end) {
      m.damage = 'truncated_question';
      return m;
    }
    m.questions.push({ name: n.text, qtype: u16(buf, n.next), qclass: u16(buf, n.next + 2) });
    p = n.next + 4;
  }
  const counts = [m.ancount, m.nscount, m.arcount];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s]; i++) {
      if (m.records.length >= MAX_RRS) {
        m.damage = 'too_many_records';
        return m;
      }
      const n = readName(buf, off, end, p);
      if (n === null) {
        m.damage = 'bad_record_name';
        return m;
      }
      const h = n.next;
      if (h + 10 > end) {
        m.damage = 'truncated_record';
        return m;
      }
      const type = u16(buf, h);
      const rdlen = u16(buf, h + 8);
      const rd = h + 10;
      if (rd + rdlen > end) {
        m.damage = 'rdlength_past_end';
        return m;
      }
      m.records.push({ section: s, name: n.text, type, rclass: u16(buf, h + 2), ttl: u32(buf, h + 4), data: rdata(buf, off, end, rd, rdlen, type, nb) });
      p = rd + rdlen;
    }
  }
  return m;
}

function rdata(buf: Uint8Array, start: number, end: number, rd: number, len: number, type: number, nb: boolean): RData {
  const rend = rd + len;
  switch (type) {
    case TYPE_A:
      return len === 4 ? { kind: 'addr', addr: ipv4String(buf, rd) } : { kind: 'bad' };
    case TYPE_AAAA:
      return len === 16 ? { kind: 'addr', addr: ipv6String(buf, rd) } : { kind: 'bad' };
    case TYPE_NS:
    case TYPE_CNAME:
    case TYPE_PTR:
    case TYPE_DNAME: {
      const n = readName(buf, start, end, rd);
      return n === null ? { kind: 'bad' } : { kind: 'name', name: n.text };
    }
    case TYPE_MX: {
      if (len < 3) return { kind: 'bad' };
      const n = readName(buf, start, end, rd + 2);
      return n === null ? { kind: 'bad' } : { kind: 'mx', preference: u16(buf, rd), name: n.text };
    }
    case TYPE_SOA: {
      const a = readName(buf, start, end, rd);
      if (a === null) return { kind: 'bad' };
      const b = readName(buf, start, end, a.next);
      if (b === null || b.next + 20 > rend) return { kind: 'bad' };
      return { kind: 'soa', mname: a.text, rname: b.text, serial: u32(buf, b.next) };
    }
    case TYPE_TXT:
    case TYPE_SPF: {
      const strings: { text: string; len: number }[] = [];
      let p = rd;
      while (p < rend && strings.length < MAX_TXT_STRINGS) {
        const l = buf[p];
        if (p + 1 + l > rend) return { kind: 'bad' };
        strings.push({ text: logString(buf, p + 1, l), len: l });
        p += 1 + l;
      }
      return { kind: 'txt', strings };
    }
    case TYPE_SRV: {
      if (nb) return nbstat(buf, rd, len);
      if (len < 7) return { kind: 'bad' };
      const n = readName(buf, start, end, rd + 6);
      return n === null ? { kind: 'bad' } : { kind: 'srv', priority: u16(buf, rd), weight: u16(buf, rd + 2), port: u16(buf, rd + 4), target: n.text };
    }
    case TYPE_HINFO: {
      if (len < 2) return { kind: 'bad' };
      const cl = buf[rd];
      if (rd + 1 + cl + 1 > rend) return { kind: 'bad' };
      const ol = buf[rd + 1 + cl];
      if (rd + 2 + cl + ol > rend) return { kind: 'bad' };
      return { kind: 'hinfo', cpu: logString(buf, rd + 1, cl), os: logString(buf, rd + 2 + cl, ol) };
    }
    case TYPE_NB: {
      if (!nb) return { kind: 'raw' };
      // RFC 1002 §4.2.2.2: repeated (NB_FLAGS 2 bytes, NB_ADDRESS 4 bytes).
      const entries: { flags: number; addr: string }[] = [];
      for (let p = rd; p + 6 <= rend && entries.length < MAX_NB_ENTRIES; p += 6) entries.push({ flags: u16(buf, p), addr: ipv4String(buf, p + 2) });
      return { kind: 'nb', entries };
    }
    case TYPE_RRSIG: {
      if (len < 18) return { kind: 'bad' };
      const n = readName(buf, start, end, rd + 18);
      return n === null ? { kind: 'bad' } : { kind: 'rrsig', typeCovered: u16(buf, rd), signer: n.text };
    }
    case TYPE_DNSKEY:
      return len >= 4 ? { kind: 'dnskey', algorithm: buf[rd + 3] } : { kind: 'bad' };
    case TYPE_DS:
      return len >= 4 ? { kind: 'ds', algorithm: buf[rd + 2], digestType: buf[rd + 3] } : { kind: 'bad' };
    case TYPE_NSEC: {
      const n = readName(buf, start, end, rd);
      return n === null ? { kind: 'bad' } : { kind: 'nsec', next: n.text };
    }
    case TYPE_SSHFP:
      return len >= 2 ? { kind: 'sshfp', fingerprint: hexString(buf, rd + 2, len - 2) } : { kind: 'bad' };
    case TYPE_LOC:
      return len >= 4 ? { kind: 'loc', size: buf[rd + 1], horiz: buf[rd + 2], vert: buf[rd + 3] } : { kind: 'bad' };
    default:
      return { kind: 'raw' };
  }
}

/** RFC 1002 §4.2.18: NODE STATUS RESPONSE: a count, 18-byte name entries, then statistics. */
function nbstat(buf: Uint8Array, rd: number, len: number): RData {
  if (len < 1) return { kind: 'bad' };
  const n = buf[rd];
  const names: { name: string; suffix: number; flags: number }[] = [];
  let p = rd + 1;
  const rend = rd + len;
  for (let i = 0; i < n && p + NBSTAT_NAME_LEN <= rend && names.length < MAX_NB_ENTRIES; i++) {
    names.push({ name: trimNetbios(buf, p, 15), suffix: buf[p + 15], flags: u16(buf, p + 16) });
    p += NBSTAT_NAME_LEN;
  }
  const out: RData = { kind: 'nbstat', names };
  // The statistics start with the unit id (a MAC address on Ethernet).
  if (p + 6 <= rend) out.mac = hexString(buf, p, 6, ':');
  return out;
}

/** A NetBIOS name as people write it: trailing spaces/NULs dropped, control bytes removed. */
function trimNetbios(buf: Uint8Array, off: number, len: number): string {
  let e = off + len;
  while (e > off && (buf[e - 1] === 0x20 || buf[e - 1] === 0)) e--;
  let s = '';
  for (let i = off; i < e; i++) if (buf[i] >= 0x20 && buf[i] < 0x7f) s += String.fromCharCode(buf[i]);
  return s;
}

export interface NetbiosName {
  /** Zeek's decode_netbios_name(): 15 bytes, trailing spaces/NULs removed, control bytes kept. */
  zeek: string;
  /** As people write it (Arkime's nbns.name): control bytes such as __MSBROWSE__'s \x01\x02 removed. */
  name: string;
  /** The 16th byte: the NetBIOS suffix (service type), e.g. 0x00 workstation, 0x20 server. */
  suffix: number;
  /** The NetBIOS scope: the DNS labels after the encoded name, if any. */
  scope: string;
}

/**
 * Decodes an RFC 1001 §14.1 first-level-encoded name (32 letters A–P, two per byte) taken from
 * the first label of `encoded`; null when it is not such a name.
 */
export function decodeNetbiosName(encoded: string): NetbiosName | null {
  const dot = encoded.indexOf('.');
  const first = dot < 0 ? encoded : encoded.slice(0, dot);
  if (first.length !== 32) return null;
  const raw = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const hi = (first.charCodeAt(2 * i) & 0xdf) - 0x41;
    const lo = (first.charCodeAt(2 * i + 1) & 0xdf) - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
    raw[i] = (hi << 4) | lo;
  }
  // Zeek stops at the first byte that is not alphanumeric, punctuation, space or < 3.
  let n = 0;
  while (n < 16 && (raw[n] < 3 || (raw[n] >= 0x20 && raw[n] < 0x7f))) n++;
  if (n === 16) n = 15;
  while (n > 0 && (raw[n - 1] === 0x20 || raw[n - 1] === 0)) n--;
  return { zeek: logString(raw, 0, n), name: trimNetbios(raw, 0, 15), suffix: raw[15], scope: dot < 0 ? '' : encoded.slice(dot + 1) };
}
