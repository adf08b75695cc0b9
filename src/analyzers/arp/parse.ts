// ARP parser (RFC 826; probes and announcements RFC 5227 §2.1, §3): hardware/protocol types and
// lengths, operation, sender and target addresses. Malformed headers are reported the way
// Zeek's ARP analyzer words them ("corrupt-arp-header (hrd=1, hln=255)"), with the addresses
// read at the stated offsets.
import { ipv4At, macAt } from '../l2text.js';

export const ARP_HEADER = 8;
export const HRD_ETHERNET = 1;
export const HRD_IEEE802 = 6;
export const PRO_IPV4 = 0x0800;
export const OP_REQUEST = 1;
export const OP_REPLY = 2;
const MAC_LEN = 6;
const IPV4_LEN = 4;

export const OPERATIONS: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'rarp_request', 4: 'rarp_reply', 8: 'inarp_request', 9: 'inarp_reply' };

export interface ArpMessage {
  op: number;
  operation: string;
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
  /** A sender announcing its own address (sender and target protocol addresses equal). */
  gratuitous: boolean;
  /** An address probe: sender protocol address 0.0.0.0 (RFC 5227). */
  probe: boolean;
}

export interface BadArp {
  bad: string;
  sha?: string;
  spa?: string;
  tha?: string;
  tpa?: string;
}

export function parseArp(buf: Uint8Array, off: number, len: number): ArpMessage | BadArp | 'truncated' {
  if (len < ARP_HEADER) return 'truncated';
  const hrd = (buf[off] << 8) | buf[off + 1];
  const pro = (buf[off + 2] << 8) | buf[off + 3];
  const hln = buf[off + 4];
  const pln = buf[off + 5];
  const op = (buf[off + 6] << 8) | buf[off + 7];
  const need = ARP_HEADER + 2 * hln + 2 * pln;
  const sha = off + ARP_HEADER;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  let bad = '';
  if (hrd !== HRD_ETHERNET && hrd !== HRD_IEEE802) bad = `unknown-arp-hw-address (hrd=${hrd})`;
  else if (hln !== MAC_LEN) bad = `corrupt-arp-header (hrd=${hrd}, hln=${hln})`;
  else if (pro !== PRO_IPV4) bad = `unknown-arp-proto-address (pro=${pro})`;
  else if (pln !== IPV4_LEN) bad = `corrupt-arp-header (pro=${pro}, pln=${pln})`;
  if (bad !== '') {
    const b: BadArp = { bad };
    const end = off + len;
    if (hln >= MAC_LEN && sha + MAC_LEN <= end) b.sha = macAt(buf, sha);
    if (pln >= IPV4_LEN && spa + IPV4_LEN <= end) b.spa = ipv4At(buf, spa);
    if (hln >= MAC_LEN && tha + MAC_LEN <= end) b.tha = macAt(buf, tha);
    if (pln >= IPV4_LEN && tpa + IPV4_LEN <= end) b.tpa = ipv4At(buf, tpa);
    return b;
  }
  if (len < need) return 'truncated';
  const m: ArpMessage = {
    op,
    operation: OPERATIONS[op] ?? `op-${op}`,
    sha: macAt(buf, sha),
    spa: ipv4At(buf, spa),
    tha: macAt(buf, tha),
    tpa: ipv4At(buf, tpa),
    gratuitous: false,
    probe: false,
  };
  m.probe = m.spa === '0.0.0.0';
  m.gratuitous = !m.probe && m.spa === m.tpa;
  return m;
}
