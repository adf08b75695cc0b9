// IGMP (IPv4, protocol 2: RFC 1112 v1, RFC 2236 v2, RFC 3376 v3) and MLD (ICMPv6 130-132 and 143:
// RFC 2710 v1, RFC 3810 v2) parsers: a querier's queries (general, or for one group, with v3's
// sources), and a host's reports and leaves — v1/v2 name one group each, v3/MLDv2 carry group
// records (mode is include or exclude, changes to either, allow or block sources). Pure.
import { ipv4At, ipv6At } from '../l2text.js';

export const IPPROTO_IGMP = 2;
export const MLD_QUERY = 130;
export const MLD_REPORT = 131;
export const MLD_DONE = 132;
export const MLD2_REPORT = 143;

const MAX_RECORDS = 64;
const MAX_SOURCES = 16;

/** v3/MLDv2 group record types (RFC 3376 §4.2.12). */
const RECORD_TYPES: Record<number, string> = { 1: 'is_include', 2: 'is_exclude', 3: 'to_include', 4: 'to_exclude', 5: 'allow', 6: 'block' };

export interface GroupRecord {
  group: string;
  /** join (v1/v2 report, or v3 exclude-mode/allow), leave (v2 leave/MLD done, v3 to_include with no sources), or the v3 record type. */
  record: string;
  sources?: string[];
}

export interface MembershipInfo {
  protocol: 'igmp' | 'mld';
  version: number;
  msg_type: 'query' | 'report' | 'leave';
  /** A query's group ("" for a general query). */
  group?: string;
  max_resp_ms?: number;
  records?: GroupRecord[];
  bad?: string;
}

function v3Record(type: number, nsrc: number): string {
  // An empty include list is no membership; exclude with none is a join to every source.
  if ((type === 1 || type === 3) && nsrc === 0) return 'leave';
  if ((type === 2 || type === 4) && nsrc === 0) return 'join';
  return RECORD_TYPES[type] ?? `type_${type}`;
}

/** An IGMP message: `len` bytes from `off` (the IP payload). */
export function parseIgmp(b: Uint8Array, off: number, len: number): MembershipInfo | 'bad' {
  if (len < 8) return 'bad';
  const type = b[off];
  const group = ipv4At(b, off + 4);
  if (type === 0x11) {
    // v1: max resp 0 and 8 octets; v2: 8 octets; v3: 12 or more (RFC 3376 §7.1).
    const version = len >= 12 ? 3 : b[off + 1] === 0 ? 1 : 2;
    const code = b[off + 1];
    const maxResp = version === 3 && code >= 128 ? ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3) : code;
    return { protocol: 'igmp', version, msg_type: 'query', group: group === '0.0.0.0' ? '' : group, max_resp_ms: maxResp * 100 };
  }
  if (type === 0x12 || type === 0x16) return { protocol: 'igmp', version: type === 0x12 ? 1 : 2, msg_type: 'report', records: [{ group, record: 'join' }] };
  if (type === 0x17) return { protocol: 'igmp', version: 2, msg_type: 'leave', records: [{ group, record: 'leave' }] };
  if (type === 0x22) {
    const n = (b[off + 6] << 8) | b[off + 7];
    const records: GroupRecord[] = [];
    const end = off + len;
    let p = off + 8;
    for (let i = 0; i < n && i < MAX_RECORDS; i++) {
      if (end - p < 8) return { protocol: 'igmp', version: 3, msg_type: 'report', records, bad: 'truncated_record' };
      const rt = b[p];
      const aux = b[p + 1] * 4;
      const nsrc = (b[p + 2] << 8) | b[p + 3];
      const r: GroupRecord = { group: ipv4At(b, p + 4), record: v3Record(rt, nsrc) };
      if (nsrc > 0) r.sources = [];
      for (let s = 0; s < nsrc && s < MAX_SOURCES && p + 8 + 4 * s + 4 <= end; s++) r.sources!.push(ipv4At(b, p + 8 + 4 * s));
      records.push(r);
      p += 8 + 4 * nsrc + aux;
    }
    return { protocol: 'igmp', version: 3, msg_type: 'report', records };
  }
  return 'bad';
}

/** An MLD message: the ICMPv6 message from its type octet. */
export function parseMld(b: Uint8Array, off: number, len: number): MembershipInfo | 'bad' {
  const type = b[off];
  if (type === MLD2_REPORT) {
    if (len < 8) return 'bad';
    const n = (b[off + 6] << 8) | b[off + 7];
    const records: GroupRecord[] = [];
    const end = off + len;
    let p = off + 8;
    for (let i = 0; i < n && i < MAX_RECORDS; i++) {
      if (end - p < 20) return { protocol: 'mld', version: 2, msg_type: 'report', records, bad: 'truncated_record' };
      const rt = b[p];
      const aux = b[p + 1] * 4;
      const nsrc = (b[p + 2] << 8) | b[p + 3];
      const r: GroupRecord = { group: ipv6At(b, p + 4), record: v3Record(rt, nsrc) };
      if (nsrc > 0) r.sources = [];
      for (let s = 0; s < nsrc && s < MAX_SOURCES && p + 20 + 16 * s + 16 <= end; s++) r.sources!.push(ipv6At(b, p + 20 + 16 * s));
      records.push(r);
      p += 20 + 16 * nsrc + aux;
    }
    return { protocol: 'mld', version: 2, msg_type: 'report', records };
  }
  if (len < 24) return 'bad';
  const group = ipv6At(b, off + 8);
  const maxResp = (b[off + 4] << 8) | b[off + 5];
  if (type === MLD_QUERY) {
    const version = len >= 28 ? 2 : 1;
    // MLDv2's Maximum Response Code: exponential above 32768 (RFC 3810 §5.1.3).
    const ms = version === 2 && maxResp >= 0x8000 ? ((maxResp & 0x0fff) | 0x1000) << (((maxResp >> 12) & 0x07) + 3) : maxResp;
    return { protocol: 'mld', version, msg_type: 'query', group: group === '::' ? '' : group, max_resp_ms: ms };
  }
  if (type === MLD_REPORT) return { protocol: 'mld', version: 1, msg_type: 'report', records: [{ group, record: 'join' }] };
  if (type === MLD_DONE) return { protocol: 'mld', version: 1, msg_type: 'leave', records: [{ group, record: 'leave' }] };
  return 'bad';
}
