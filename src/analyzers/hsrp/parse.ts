// Cisco Hot Standby Router Protocol: version 1 (RFC 2281: a fixed 20-byte message on UDP 1985)
// and version 2 (UDP 2029: TLVs — Group State, Text Authentication, MD5 Authentication — as
// Cisco documents them and Wireshark decodes them). Pure: no state, bounded by the datagram.
import { ipv4String, ipv6String, u16, u32 } from '../dns/text.js';
import { macAt } from '../l2text.js';

export const HSRP_V1_PORT = 1985;
export const HSRP_V2_PORT = 2029;

export const OPCODES = ['hello', 'coup', 'resign', 'advertise'];
/** RFC 2281 §5 states, by value. */
export const STATES: Record<number, string> = { 0: 'initial', 1: 'learn', 2: 'listen', 4: 'speak', 8: 'standby', 16: 'active' };
export const STATE_ACTIVE = 16;

const V1_LEN = 20;
const TLV_GROUP_STATE = 1;
const TLV_TEXT_AUTH = 3;
const TLV_MD5_AUTH = 4;
/** TLVs read per datagram (a router sends one group state and one authentication TLV per group). */
const MAX_TLVS = 16;

export interface HsrpGroup {
  version: number;
  opcode: number;
  state: number;
  group: number;
  priority: number;
  /** Seconds (v2 counts milliseconds). */
  hello: number;
  hold: number;
  virtualIp: string;
  /** v2: the sender's identifier (its MAC). */
  identifier?: string;
  /** Text authentication: the bytes up to the first NUL (compared with the default, never logged). */
  authText?: Uint8Array;
  md5?: boolean;
}

function text(b: Uint8Array, off: number, len: number): Uint8Array {
  let n = 0;
  while (n < len && b[off + n] !== 0) n++;
  return b.slice(off, off + n);
}

/** Parses one HSRP datagram; 'bad' when it is none. A v2 datagram may carry several groups. */
export function parseHsrp(b: Uint8Array, off: number, len: number, v2: boolean): HsrpGroup[] | 'bad' {
  if (off + len > b.length) return 'bad';
  if (!v2) {
    if (len < V1_LEN || b[off] !== 0 || b[off + 1] > 3 || STATES[b[off + 2]] === undefined) return 'bad';
    return [
      {
        version: 1,
        opcode: b[off + 1],
        state: b[off + 2],
        hello: b[off + 3],
        hold: b[off + 4],
        priority: b[off + 5],
        group: b[off + 6],
        authText: text(b, off + 8, 8),
        virtualIp: ipv4String(b, off + 16),
      },
    ];
  }
  const out: HsrpGroup[] = [];
  let auth: Uint8Array | undefined;
  let md5 = false;
  let p = off;
  const end = off + len;
  for (let n = 0; p + 2 <= end && n < MAX_TLVS; n++) {
    const type = b[p];
    const l = b[p + 1];
    const v = p + 2;
    if (v + l > end) return out.length > 0 ? out : 'bad';
    if (type === TLV_GROUP_STATE && l >= 40) {
      const ipVer = b[v + 3];
      if (b[v] !== 2 || b[v + 1] > 3 || STATES[b[v + 2]] === undefined || (ipVer !== 4 && ipVer !== 6)) return 'bad';
      out.push({
        version: 2,
        opcode: b[v + 1],
        state: b[v + 2],
        group: u16(b, v + 4),
        identifier: macAt(b, v + 6),
        priority: u32(b, v + 12),
        hello: u32(b, v + 16) / 1000,
        hold: u32(b, v + 20) / 1000,
        virtualIp: ipVer === 4 ? ipv4String(b, v + 24) : ipv6String(b, v + 24),
      });
    } else if (type === TLV_TEXT_AUTH && l >= 8) auth = text(b, v, 8);
    else if (type === TLV_MD5_AUTH) md5 = true;
    p = v + l;
  }
  if (out.length === 0) return 'bad';
  for (const g of out) {
    if (auth !== undefined) g.authText = auth;
    if (md5) g.md5 = true;
  }
  return out;
}
