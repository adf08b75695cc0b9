// DTP parser (Cisco Dynamic Trunking Protocol, carried in 802.3 SNAP with OUI 00:00:0c and
// protocol id 0x2004): a version octet, then type/length/value fields whose length includes the
// 4-octet header: VTP domain (1), trunk status (2), trunk type (3), sender id (4). The status
// octet holds the operating status in its top bit (access or trunk) and the administrative
// mode in its low three bits (on, off, desirable, auto); the type octet the operating
// encapsulation in its top three bits and the administrative one in its low three (Wireshark's
// packet-dtp.c reading, after US patent 6,445,715). Pure; damage in `problems`.
import { macAt, printable } from '../l2text.js';

const TLV_HEADER = 4;
const TLV_DOMAIN = 0x0001;
const TLV_STATUS = 0x0002;
const TLV_TYPE = 0x0003;
const TLV_SENDER = 0x0004;
const MAX_TLVS = 16;
const MAX_DOMAIN = 32;

/** Administrative modes (low three bits of the status octet). */
const ADMIN_MODES: Record<number, string> = { 1: 'on', 2: 'off', 3: 'desirable', 4: 'auto' };
/** Encapsulations (operating: top three bits of the type octet; administrative: low three). */
const ENCAPSULATIONS: Record<number, string> = { 0: 'negotiated', 1: 'native', 2: 'isl', 5: '802.1q' };

export interface DtpInfo {
  version: number;
  domain?: string;
  /** "access" or "trunk": what the port is now. */
  trunk_status?: string;
  /** "on", "off", "desirable", "auto" (or "0x0N"): what the port is configured to negotiate. */
  trunk_mode?: string;
  trunk_encapsulation?: string;
  trunk_admin_encapsulation?: string;
  sender_id?: string;
  problems: string[];
}

const named = (table: Record<number, string>, v: number): string => table[v] ?? `0x${v.toString(16).padStart(2, '0')}`;

export function parseDtp(buf: Uint8Array, off: number, len: number): DtpInfo | 'bad' {
  if (len < 1) return 'bad';
  const out: DtpInfo = { version: buf[off], problems: [] };
  const end = off + len;
  let p = off + 1;
  for (let i = 0; i < MAX_TLVS && end - p >= TLV_HEADER; i++) {
    const type = (buf[p] << 8) | buf[p + 1];
    const l = (buf[p + 2] << 8) | buf[p + 3];
    if (l < TLV_HEADER || p + l > end) {
      out.problems.push('truncated_tlv');
      break;
    }
    const v = p + TLV_HEADER;
    const n = l - TLV_HEADER;
    if (type === TLV_DOMAIN) {
      // NUL-padded (a switch with no VTP domain sends NULs only).
      let e = v;
      while (e < v + n && buf[e] !== 0) e++;
      out.domain = printable(buf, v, e, MAX_DOMAIN);
    } else if (type === TLV_STATUS) {
      if (n < 1) out.problems.push('bad_status');
      else {
        out.trunk_status = (buf[v] & 0x80) !== 0 ? 'trunk' : 'access';
        out.trunk_mode = named(ADMIN_MODES, buf[v] & 0x07);
      }
    } else if (type === TLV_TYPE) {
      if (n < 1) out.problems.push('bad_type');
      else {
        out.trunk_encapsulation = named(ENCAPSULATIONS, buf[v] >> 5);
        out.trunk_admin_encapsulation = named(ENCAPSULATIONS, buf[v] & 0x07);
      }
    } else if (type === TLV_SENDER) {
      if (n < 6) out.problems.push('bad_sender_id');
      else out.sender_id = macAt(buf, v);
    }
    p += l;
  }
  return out;
}
