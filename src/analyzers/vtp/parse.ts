// VTP parser (Cisco VLAN Trunking Protocol v1/v2, carried in 802.3 SNAP with OUI 00:00:0c and
// protocol id 0x2003): a version octet, a code, then per code (Wireshark's packet-vtp.c reading,
// after Cisco's VTP documentation):
//   summary advertisement (1): followers, domain length, domain (32 octets), configuration
//     revision (4), updater identity (IPv4), update timestamp (12 ASCII digits yymmddhhmmss),
//     MD5 digest (16);
//   subset advertisement (2): sequence number, domain length, domain, configuration revision,
//     then VLAN information fields, each led by its own length: status, type, name length, ISL
//     VLAN id, MTU, 802.10 index, the name (padded to 4 octets), then TLVs;
//   advertisement request (3): reserved, domain length, domain, start value (2);
//   join (4, pruning): reserved, domain length, domain, first and last VLAN, a bitmap.
// Version 3's summary carries more after the digest; what version 1 and 2 share is read. Pure;
// damage in `problems`.
import { ipv4At, printable } from '../l2text.js';

const HEADER = 4;
const DOMAIN_FIELD = 32;
const CODE_NAMES: Record<number, string> = { 1: 'summary', 2: 'subset', 3: 'request', 4: 'join' };
const VLAN_FIXED = 12;
/** A subset lists up to 1,005 VLANs in VTP v1/v2; kept to this many. */
const MAX_VLANS = 1024;

export interface VtpVlan {
  id: number;
  name: string;
  /** Suspended (status bit 0x01). */
  suspended: boolean;
}

export interface VtpInfo {
  version: number;
  code: string;
  domain: string;
  followers?: number;
  sequence?: number;
  revision?: number;
  updater?: string;
  /** yymmddhhmmss as sent (empty when the updater left it blank). */
  update_ts?: string;
  start_value?: number;
  vlans?: VtpVlan[];
  problems: string[];
}

export function parseVtp(buf: Uint8Array, off: number, len: number): VtpInfo | 'bad' {
  if (len < HEADER + DOMAIN_FIELD) return 'bad';
  const version = buf[off];
  const codeNo = buf[off + 1];
  const code = CODE_NAMES[codeNo];
  if (version < 1 || version > 3 || code === undefined) return 'bad';
  const mdLen = Math.min(buf[off + 3], DOMAIN_FIELD);
  const out: VtpInfo = { version, code, domain: printable(buf, off + HEADER, off + HEADER + mdLen, DOMAIN_FIELD), problems: [] };
  const end = off + len;
  let p = off + HEADER + DOMAIN_FIELD;
  if (codeNo === 1) {
    out.followers = buf[off + 2];
    if (end - p < 4 + 4 + 12) {
      out.problems.push('truncated_summary');
      return out;
    }
    out.revision = readU32(buf, p);
    out.updater = ipv4At(buf, p + 4);
    out.update_ts = printable(buf, p + 8, p + 20, 12).replace(/\\x00/g, '');
  } else if (codeNo === 2) {
    out.sequence = buf[off + 2];
    if (end - p < 4) {
      out.problems.push('truncated_subset');
      return out;
    }
    out.revision = readU32(buf, p);
    p += 4;
    const vlans: VtpVlan[] = [];
    while (end - p >= VLAN_FIXED && vlans.length < MAX_VLANS) {
      const l = buf[p];
      const nameLen = buf[p + 3];
      if (l < VLAN_FIXED + nameLen || p + l > end) {
        out.problems.push('bad_vlan_info');
        break;
      }
      vlans.push({ id: (buf[p + 4] << 8) | buf[p + 5], name: printable(buf, p + VLAN_FIXED, p + VLAN_FIXED + nameLen, 32), suspended: (buf[p + 1] & 0x01) !== 0 });
      p += l;
    }
    out.vlans = vlans;
  } else if (codeNo === 3) {
    if (end - p >= 2) out.start_value = (buf[p] << 8) | buf[p + 1];
  }
  return out;
}

function readU32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}
