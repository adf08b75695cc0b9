// LLDP parser (IEEE 802.1AB-2016 §8): TLVs with a 7-bit type and 9-bit length: chassis id, port
// id, TTL, port description, system name/description, capabilities, management addresses, and
// the organizationally specific TLVs that identify a device: IEEE 802.1 port VLAN (Annex D) and
// LLDP-MED inventory (ANSI/TIA-1057 §10.2.6: hardware/firmware/software revision, serial,
// manufacturer, model, asset id). Pure; damage is reported in `problems`.
import { ipv4At, ipv6At, macAt, printable } from '../l2text.js';

const TLV_END = 0;
const TLV_CHASSIS_ID = 1;
const TLV_PORT_ID = 2;
const TLV_TTL = 3;
const TLV_PORT_DESCRIPTION = 4;
const TLV_SYSTEM_NAME = 5;
const TLV_SYSTEM_DESCRIPTION = 6;
const TLV_CAPABILITIES = 7;
const TLV_MANAGEMENT_ADDRESS = 8;
const TLV_ORG_SPECIFIC = 127;
const CHASSIS_MAC = 4;
const CHASSIS_NETWORK_ADDRESS = 5;
const PORT_MAC = 3;
const PORT_NETWORK_ADDRESS = 4;
/** IANA address family numbers. */
const AF_IPV4 = 1;
const AF_IPV6 = 2;
const AF_802 = 6;
const OUI_IEEE_8021 = 0x0080c2;
const OUI_TIA_MED = 0x0012bb;
const IEEE_8021_PORT_VLAN = 1;
const MAX_TLVS = 128;
const MAX_ADDRESSES = 8;

/** System capabilities bits (§8.5.8.1). */
export const CAPABILITIES = ['other', 'repeater', 'bridge', 'wlan_access_point', 'router', 'telephone', 'docsis_cable_device', 'station_only', 'c_vlan_component', 's_vlan_component', 'two_port_mac_relay'];

const MED_CAPABILITIES = 1;
const MED_NETWORK_POLICY = 2;
const MED_CLASSES: Record<number, string> = { 1: 'endpoint_class_i', 2: 'endpoint_class_ii', 3: 'endpoint_class_iii', 4: 'network_connectivity' };
const MED_APPLICATIONS: Record<number, string> = { 1: 'voice', 2: 'voice_signaling', 3: 'guest_voice', 4: 'guest_voice_signaling', 5: 'softphone_voice', 6: 'video_conferencing', 7: 'streaming_video', 8: 'video_signaling' };
const MAX_POLICIES = 8;

const MED_FIELDS: Record<number, keyof LldpInfo> = {
  5: 'med_hardware_revision',
  6: 'med_firmware_revision',
  7: 'med_software_revision',
  8: 'med_serial_number',
  9: 'med_manufacturer',
  10: 'med_model_name',
  11: 'med_asset_id',
};

export interface LldpInfo {
  chassis_id?: string;
  port_id?: string;
  ttl?: number;
  port_description?: string;
  system_name?: string;
  system_description?: string;
  capabilities?: string[];
  enabled_capabilities?: string[];
  mgmt_addresses?: string[];
  port_vlan?: number;
  med_hardware_revision?: string;
  med_firmware_revision?: string;
  med_software_revision?: string;
  med_serial_number?: string;
  med_manufacturer?: string;
  med_model_name?: string;
  med_asset_id?: string;
  /** LLDP-MED device class (TIA-1057 §10.2.2): endpoint class I–III (III: a communication device, a phone), network connectivity. */
  med_class?: string;
  /** LLDP-MED network policies (§10.2.3): "voice vlan 110 tagged priority 5 dscp 46" — the VLAN a phone is told to use. */
  med_policies?: string[];
  /** Named damage: duplicate_tlv, truncated_tlv, missing_mandatory_tlv. */
  problems: string[];
}

export function parseLldp(buf: Uint8Array, off: number, len: number): LldpInfo {
  const out: LldpInfo = { problems: [] };
  const end = off + len;
  const seen = new Set<number>();
  let p = off;
  for (let i = 0; i < MAX_TLVS; i++) {
    if (end - p < 2) {
      out.problems.push('truncated_tlv');
      break;
    }
    const type = buf[p] >> 1;
    const l = ((buf[p] & 1) << 8) | buf[p + 1];
    const v = p + 2;
    p = v + l;
    if (type === TLV_END) break;
    if (p > end) {
      out.problems.push('truncated_tlv');
      break;
    }
    if (type >= TLV_CHASSIS_ID && type <= TLV_CAPABILITIES) {
      if (seen.has(type)) {
        out.problems.push('duplicate_tlv');
        continue;
      }
      seen.add(type);
    }
    switch (type) {
      case TLV_CHASSIS_ID:
        if (l >= 2) out.chassis_id = idValue(buf, v, p, buf[v] === CHASSIS_MAC, buf[v] === CHASSIS_NETWORK_ADDRESS);
        break;
      case TLV_PORT_ID:
        if (l >= 2) out.port_id = idValue(buf, v, p, buf[v] === PORT_MAC, buf[v] === PORT_NETWORK_ADDRESS);
        break;
      case TLV_TTL:
        if (l >= 2) out.ttl = (buf[v] << 8) | buf[v + 1];
        break;
      case TLV_PORT_DESCRIPTION:
        out.port_description = printable(buf, v, p);
        break;
      case TLV_SYSTEM_NAME:
        out.system_name = printable(buf, v, p);
        break;
      case TLV_SYSTEM_DESCRIPTION:
        out.system_description = printable(buf, v, p);
        break;
      case TLV_CAPABILITIES:
        if (l >= 4) {
          out.capabilities = bits((buf[v] << 8) | buf[v + 1]);
          out.enabled_capabilities = bits((buf[v + 2] << 8) | buf[v + 3]);
        }
        break;
      case TLV_MANAGEMENT_ADDRESS: {
        // address string length (subtype + address), subtype, address, …
        if (l < 2) break;
        const alen = buf[v];
        if (alen < 1 || v + 1 + alen > p) break;
        const a = address(buf, buf[v + 1], v + 2, v + 1 + alen);
        if (a !== '' && (out.mgmt_addresses ??= []).length < MAX_ADDRESSES) out.mgmt_addresses.push(a);
        break;
      }
      case TLV_ORG_SPECIFIC:
        if (l >= 4) orgSpecific(buf, v, p, out);
        break;
      default:
        break;
    }
  }
  if (!seen.has(TLV_CHASSIS_ID) || !seen.has(TLV_PORT_ID) || !seen.has(TLV_TTL)) out.problems.push('missing_mandatory_tlv');
  return out;
}

function idValue(buf: Uint8Array, v: number, end: number, isMac: boolean, isAddr: boolean): string {
  if (isMac && end - v - 1 === 6) return macAt(buf, v + 1);
  if (isAddr && end - v - 1 >= 2) return address(buf, buf[v + 1], v + 2, end);
  return printable(buf, v + 1, end);
}

function address(buf: Uint8Array, family: number, off: number, end: number): string {
  if (family === AF_IPV4 && end - off === 4) return ipv4At(buf, off);
  if (family === AF_IPV6 && end - off === 16) return ipv6At(buf, off);
  if (family === AF_802 && end - off === 6) return macAt(buf, off);
  return '';
}

function bits(v: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < CAPABILITIES.length; i++) if (v & (1 << i)) out.push(CAPABILITIES[i]);
  return out;
}

function orgSpecific(buf: Uint8Array, v: number, end: number, out: LldpInfo): void {
  const oui = (buf[v] << 16) | (buf[v + 1] << 8) | buf[v + 2];
  const sub = buf[v + 3];
  const d = v + 4;
  if (oui === OUI_IEEE_8021 && sub === IEEE_8021_PORT_VLAN && end - d >= 2) out.port_vlan = (buf[d] << 8) | buf[d + 1];
  else if (oui === OUI_TIA_MED) {
    if (sub === MED_CAPABILITIES && end - d >= 3) out.med_class = MED_CLASSES[buf[d + 2]] ?? `class_${buf[d + 2]}`;
    else if (sub === MED_NETWORK_POLICY && end - d >= 4) {
      // Application type, then unknown-policy, tagged and reserved bits, a 12-bit VLAN id, a 3-bit priority and a 6-bit DSCP.
      const x = (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3];
      const app = MED_APPLICATIONS[buf[d]] ?? `application_${buf[d]}`;
      const policy = (x & 0x800000) !== 0 ? `${app} unknown policy` : `${app} vlan ${(x >> 9) & 0xfff}${(x & 0x400000) !== 0 ? ' tagged' : ' untagged'} priority ${(x >> 6) & 7} dscp ${x & 0x3f}`;
      const l = (out.med_policies ??= []);
      if (l.length < MAX_POLICIES) l.push(policy);
    } else {
      const key = MED_FIELDS[sub];
      if (key !== undefined) (out as unknown as Record<string, unknown>)[key] = printable(buf, d, end);
    }
  }
}
