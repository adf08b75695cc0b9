// CDP parser (Cisco Discovery Protocol v1/v2, carried in 802.3 SNAP with OUI 00:00:0c and
// protocol id 0x2000): version, TTL, checksum, then type/length/value fields (length includes
// the 4-octet TLV header): device id, addresses, port id, capabilities, software version,
// platform, VTP domain, native VLAN, duplex, management addresses. Pure; damage in `problems`.
import { ipv4At, ipv6At, printable } from '../l2text.js';

const CDP_HEADER = 4;
const TLV_HEADER = 4;
const TLV_DEVICE_ID = 0x0001;
const TLV_ADDRESSES = 0x0002;
const TLV_PORT_ID = 0x0003;
const TLV_CAPABILITIES = 0x0004;
const TLV_SOFTWARE_VERSION = 0x0005;
const TLV_PLATFORM = 0x0006;
const TLV_VTP_DOMAIN = 0x0009;
const TLV_NATIVE_VLAN = 0x000a;
const TLV_DUPLEX = 0x000b;
/** VoIP VLAN Reply: the switch tells a phone its voice VLAN (an appliance id octet, then the VLAN). */
const TLV_VOIP_VLAN_REPLY = 0x000e;
const TLV_MANAGEMENT_ADDRESSES = 0x0016;
/** Address protocol type NLPID with protocol 0xcc = IP; 802.2 with the IPv6 SNAP id. */
const PT_NLPID = 1;
const PT_8022 = 2;
const NLPID_IP = 0xcc;
const IPV6_8022 = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];
const MAX_TLVS = 64;
const MAX_ADDRESSES = 8;

/** Capability bits (Cisco CDP specification). */
export const CAPABILITIES = ['router', 'transparent_bridge', 'source_route_bridge', 'switch', 'host', 'igmp', 'repeater', 'voip_phone', 'remotely_managed', 'cvta_stp_dispute', 'two_port_mac_relay'];

export interface CdpInfo {
  version: number;
  ttl: number;
  device_id?: string;
  addresses?: string[];
  port_id?: string;
  capabilities?: string[];
  software_version?: string;
  platform?: string;
  vtp_domain?: string;
  native_vlan?: number;
  /** VoIP VLAN Reply (0x000e): the voice VLAN the switch offers the port's phone. */
  voice_vlan?: number;
  duplex?: string;
  mgmt_addresses?: string[];
  problems: string[];
}

export function parseCdp(buf: Uint8Array, off: number, len: number): CdpInfo | 'bad' {
  if (len < CDP_HEADER) return 'bad';
  const version = buf[off];
  if (version !== 1 && version !== 2) return 'bad';
  const out: CdpInfo = { version, ttl: buf[off + 1], problems: [] };
  const end = off + len;
  let p = off + CDP_HEADER;
  for (let i = 0; i < MAX_TLVS && end - p >= TLV_HEADER; i++) {
    const type = (buf[p] << 8) | buf[p + 1];
    const l = (buf[p + 2] << 8) | buf[p + 3];
    if (l < TLV_HEADER || p + l > end) {
      out.problems.push('truncated_tlv');
      break;
    }
    const v = p + TLV_HEADER;
    const e = p + l;
    p = e;
    switch (type) {
      case TLV_DEVICE_ID:
        out.device_id = printable(buf, v, e);
        break;
      case TLV_ADDRESSES:
        out.addresses = addresses(buf, v, e);
        break;
      case TLV_PORT_ID:
        out.port_id = printable(buf, v, e);
        break;
      case TLV_CAPABILITIES:
        if (e - v >= 4) {
          const bits = ((buf[v] << 24) >>> 0) + (buf[v + 1] << 16) + (buf[v + 2] << 8) + buf[v + 3];
          out.capabilities = CAPABILITIES.filter((_, b) => (bits & (1 << b)) !== 0);
        }
        break;
      case TLV_SOFTWARE_VERSION:
        out.software_version = printable(buf, v, e, 2048);
        break;
      case TLV_PLATFORM:
        out.platform = printable(buf, v, e);
        break;
      case TLV_VTP_DOMAIN:
        out.vtp_domain = printable(buf, v, e);
        break;
      case TLV_NATIVE_VLAN:
        if (e - v >= 2) out.native_vlan = (buf[v] << 8) | buf[v + 1];
        break;
      case TLV_VOIP_VLAN_REPLY:
        if (e - v >= 3) out.voice_vlan = ((buf[v + 1] << 8) | buf[v + 2]) & 0xfff;
        break;
      case TLV_DUPLEX:
        if (e - v >= 1) out.duplex = buf[v] ? 'full' : 'half';
        break;
      case TLV_MANAGEMENT_ADDRESSES:
        out.mgmt_addresses = addresses(buf, v, e);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Address list: count (4), then protocol type, protocol length, protocol, address length, address. */
function addresses(buf: Uint8Array, p: number, end: number): string[] {
  const out: string[] = [];
  if (end - p < 4) return out;
  const count = Math.min(((buf[p] << 24) >>> 0) + (buf[p + 1] << 16) + (buf[p + 2] << 8) + buf[p + 3], MAX_ADDRESSES);
  p += 4;
  for (let i = 0; i < count && end - p >= 2; i++) {
    const pt = buf[p];
    const pl = buf[p + 1];
    const proto = p + 2;
    const al = proto + pl;
    if (al + 2 > end) break;
    const alen = (buf[al] << 8) | buf[al + 1];
    const a = al + 2;
    if (a + alen > end) break;
    if (pt === PT_NLPID && pl === 1 && buf[proto] === NLPID_IP && alen === 4) out.push(ipv4At(buf, a));
    else if (pt === PT_8022 && pl === IPV6_8022.length && IPV6_8022.every((b, k) => buf[proto + k] === b) && alen === 16) out.push(ipv6At(buf, a));
    p = a + alen;
  }
  return out;
}
