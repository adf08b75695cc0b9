// IEEE 802.11 management frames (IEEE Std 802.11-2020 §9.3.3, §9.4): the MAC header's three
// addresses, the fixed fields of beacons, probes and (re)association requests, and the elements
// that identify a network or a device: SSID (0), DS Parameter Set (3), RSN (48), and the
// vendor-specific WPA (00:50:f2 type 1) and Wi-Fi Simple Configuration (WPS, 00:50:f2 type 4)
// elements, whose attributes name the device's manufacturer, model and kind. Pure and bounded:
// never reads outside [off, off + len).
import { formatMac, readMac } from '../../decode/packet.js';
import { escapeBytes } from '../l2text.js';

export const SUBTYPE_ASSOC_REQUEST = 0;
export const SUBTYPE_REASSOC_REQUEST = 2;
export const SUBTYPE_PROBE_REQUEST = 4;
export const SUBTYPE_PROBE_RESPONSE = 5;
export const SUBTYPE_BEACON = 8;
export const SUBTYPE_DISASSOC = 10;
export const SUBTYPE_DEAUTH = 12;

const KINDS: Record<number, string> = {
  [SUBTYPE_ASSOC_REQUEST]: 'assoc_request',
  [SUBTYPE_REASSOC_REQUEST]: 'reassoc_request',
  [SUBTYPE_PROBE_REQUEST]: 'probe_request',
  [SUBTYPE_PROBE_RESPONSE]: 'probe_response',
  [SUBTYPE_BEACON]: 'beacon',
};

/** Length of the fixed fields before the elements, by subtype (§9.3.3). */
const FIXED: Record<number, number> = {
  [SUBTYPE_ASSOC_REQUEST]: 4, // capability, listen interval
  [SUBTYPE_REASSOC_REQUEST]: 10, // + current AP address
  [SUBTYPE_PROBE_REQUEST]: 0,
  [SUBTYPE_PROBE_RESPONSE]: 12, // timestamp, beacon interval, capability
  [SUBTYPE_BEACON]: 12,
};

const MGMT_HDR = 24;
const CAP_PRIVACY = 0x0010;
const EID_SSID = 0;
const EID_DS_PARAMS = 3;
const EID_RSN = 48;
const EID_VENDOR = 221;
const OUI_MICROSOFT = 0x0050f2;
const MS_WPA = 1;
const MS_WPS = 4;
const MAX_ELEMENTS = 256;
const MAX_SUITES = 16;
const MAX_WPS_ATTRS = 64;

/** RSN cipher suites of 00:0f:ac (§9.4.2.24.2, Table 9-149). */
const CIPHERS: Record<number, string> = { 1: 'WEP-40', 2: 'TKIP', 4: 'CCMP-128', 5: 'WEP-104', 8: 'GCMP-128', 9: 'GCMP-256', 10: 'CCMP-256' };
/** RSN AKM suites of 00:0f:ac (Table 9-151). */
const AKMS: Record<number, string> = {
  1: '802.1X',
  2: 'PSK',
  3: 'FT-802.1X',
  4: 'FT-PSK',
  5: '802.1X-SHA256',
  6: 'PSK-SHA256',
  8: 'SAE',
  9: 'FT-SAE',
  11: '802.1X-SuiteB',
  12: '802.1X-SuiteB-192',
  18: 'OWE',
  24: 'SAE-EXT-KEY',
};

/** Wi-Fi Simple Configuration primary device type categories (WSC 2.0 Table 41). */
const WPS_CATEGORIES: Record<number, string> = {
  1: 'Computer',
  2: 'Input Device',
  3: 'Printer',
  4: 'Camera',
  5: 'Storage',
  6: 'Network Infrastructure',
  7: 'Display',
  8: 'Multimedia Device',
  9: 'Gaming Device',
  10: 'Telephone',
  11: 'Audio Device',
  12: 'Docking Device',
};

/** Protection strength of a network announcement, for comparing access points of one name. */
export const WIFI_SECURITY_RANK: Readonly<Record<string, number>> = { open: 0, WEP: 1, WPA: 2, OWE: 2, WPA2: 3, WPA3: 4 };

export interface WlanMgmtInfo {
  kind: string;
  receiver: string;
  transmitter: string;
  bssid: string;
  ssid?: string;
  /** An access point that hides its network name (empty or zeroed SSID element). */
  ssid_hidden?: boolean;
  channel?: number;
  /** open, WEP, WPA, WPA2, WPA3, OWE (beacons, probe responses, association requests). */
  security?: string;
  pairwise_ciphers?: string[];
  akm_suites?: string[];
  wps_manufacturer?: string;
  wps_model_name?: string;
  wps_model_number?: string;
  wps_device_name?: string;
  wps_serial_number?: string;
  wps_device_type?: string;
  problems: string[];
}

/** A device-supplied WPS string: trailing NULs and spaces trimmed; undefined when empty. */
function wpsText(b: Uint8Array, off: number, len: number): string | undefined {
  let end = off + len;
  while (end > off && (b[end - 1] === 0 || b[end - 1] === 0x20)) end--;
  const s = escapeBytes(b, off, end, true).trim();
  return s === '' ? undefined : s;
}

/** Length of the management frame's MAC header: an HT Control field follows when the Order bit is set (§9.2.4.1.10). */
function headerLength(b: Uint8Array, off: number): number {
  return MGMT_HDR + ((b[off + 1] & 0x80) !== 0 ? 4 : 0);
}

/** The MAC header's three addresses. */
function addresses(b: Uint8Array, off: number): { receiver: string; transmitter: string; bssid: string } {
  return { receiver: formatMac(readMac(b, off + 4)), transmitter: formatMac(readMac(b, off + 10)), bssid: formatMac(readMac(b, off + 16)) };
}

/** A deauthentication or disassociation frame (§9.3.3.12-13): who, to whom, and the reason code. */
export interface WlanDeauthInfo {
  kind: 'deauth' | 'disassoc';
  receiver: string;
  transmitter: string;
  bssid: string;
  reason: number;
}

/** The deauthentication or disassociation frame at [off, off + len), else null (or 'truncated'). */
export function parseWlanDeauth(b: Uint8Array, off: number, len: number): WlanDeauthInfo | null | 'truncated' {
  if (len < 1) return 'truncated';
  const sub = b[off] >> 4;
  if (sub !== SUBTYPE_DEAUTH && sub !== SUBTYPE_DISASSOC) return null;
  if (len < MGMT_HDR) return 'truncated';
  const hdr = headerLength(b, off);
  if (len < hdr + 2) return 'truncated';
  return { kind: sub === SUBTYPE_DEAUTH ? 'deauth' : 'disassoc', ...addresses(b, off), reason: b[off + hdr] | (b[off + hdr + 1] << 8) };
}

/** The management frame at [off, off + len), or null for a subtype that identifies nothing. */
export function parseWlanMgmt(b: Uint8Array, off: number, len: number): WlanMgmtInfo | null | 'truncated' {
  if (len < MGMT_HDR) return 'truncated';
  const sub = b[off] >> 4;
  const kind = KINDS[sub];
  if (kind === undefined) return null;
  const r: WlanMgmtInfo = { kind, ...addresses(b, off), problems: [] };
  const hdr = headerLength(b, off);
  const end = off + len;
  const fixed = off + hdr;
  if (end - fixed < FIXED[sub]) {
    r.problems.push('truncated');
    return r;
  }
  let cap = -1;
  if (sub === SUBTYPE_BEACON || sub === SUBTYPE_PROBE_RESPONSE) cap = b[fixed + 10] | (b[fixed + 11] << 8);
  else if (sub === SUBTYPE_ASSOC_REQUEST || sub === SUBTYPE_REASSOC_REQUEST) cap = b[fixed] | (b[fixed + 1] << 8);
  let rsn: { pairwise: string[]; akm: string[] } | null = null;
  let wpa = false;
  let p = fixed + FIXED[sub];
  for (let n = 0; p < end; n++) {
    if (n >= MAX_ELEMENTS) {
      r.problems.push('too_many_elements');
      break;
    }
    if (end - p < 2) {
      r.problems.push('truncated_element');
      break;
    }
    const id = b[p];
    const elen = b[p + 1];
    const d = p + 2;
    if (d + elen > end) {
      r.problems.push('truncated_element');
      break;
    }
    if (id === EID_SSID && r.ssid === undefined && r.ssid_hidden === undefined) {
      let zero = true;
      for (let i = d; i < d + elen; i++) if (b[i] !== 0) zero = false;
      if (elen > 32) r.problems.push('bad_ssid_length');
      else if (zero) {
        if (sub === SUBTYPE_BEACON || sub === SUBTYPE_PROBE_RESPONSE) r.ssid_hidden = true;
      } else r.ssid = escapeBytes(b, d, d + elen, true);
    } else if (id === EID_DS_PARAMS && elen >= 1) {
      r.channel = b[d];
    } else if (id === EID_RSN && rsn === null) {
      rsn = parseRsn(b, d, elen);
      if (rsn === null) r.problems.push('bad_rsn_element');
    } else if (id === EID_VENDOR && elen >= 4) {
      const oui = (b[d] << 16) | (b[d + 1] << 8) | b[d + 2];
      if (oui === OUI_MICROSOFT && b[d + 3] === MS_WPA) wpa = true;
      else if (oui === OUI_MICROSOFT && b[d + 3] === MS_WPS) parseWps(b, d + 4, elen - 4, r);
    }
    p = d + elen;
  }
  if (rsn !== null) {
    r.pairwise_ciphers = rsn.pairwise;
    r.akm_suites = rsn.akm;
  }
  if (cap >= 0 && sub !== SUBTYPE_PROBE_REQUEST) r.security = security(cap, rsn, wpa);
  return r;
}

/** The RSN element's pairwise ciphers and AKM suites (§9.4.2.24), or null when malformed. */
function parseRsn(b: Uint8Array, d: number, len: number): { pairwise: string[]; akm: string[] } | null {
  const end = d + len;
  if (len < 2 || (b[d] | (b[d + 1] << 8)) !== 1) return null;
  let p = d + 2 + 4; // version, group data cipher suite
  const suites = (names: Record<number, string>): string[] | null => {
    if (end - p < 2) return [];
    const n = b[p] | (b[p + 1] << 8);
    p += 2;
    if (n > MAX_SUITES || end - p < 4 * n) return null;
    const out: string[] = [];
    for (let i = 0; i < n; i++, p += 4) {
      const oui = (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
      const t = b[p + 3];
      const name = oui === 0x000fac ? names[t] : undefined;
      const s = name ?? `${oui.toString(16).padStart(6, '0')}:${t}`;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  };
  if (p > end) return { pairwise: [], akm: [] };
  const pairwise = suites(CIPHERS);
  if (pairwise === null) return null;
  const akm = suites(AKMS);
  if (akm === null) return null;
  return { pairwise, akm };
}

/** Network protection from the capability Privacy bit and the RSN/WPA elements. */
function security(cap: number, rsn: { pairwise: string[]; akm: string[] } | null, wpa: boolean): string {
  if (rsn !== null) {
    if (rsn.akm.some((a) => a.includes('SAE') || a.includes('SuiteB'))) return 'WPA3';
    if (rsn.akm.includes('OWE')) return 'OWE';
    return 'WPA2';
  }
  if (wpa) return 'WPA';
  return (cap & CAP_PRIVACY) !== 0 ? 'WEP' : 'open';
}

/** Wi-Fi Simple Configuration attributes (big-endian type, length, value). */
function parseWps(b: Uint8Array, d: number, len: number, r: WlanMgmtInfo): void {
  const end = d + len;
  let p = d;
  for (let n = 0; end - p >= 4 && n < MAX_WPS_ATTRS; n++) {
    const t = (b[p] << 8) | b[p + 1];
    const l = (b[p + 2] << 8) | b[p + 3];
    const v = p + 4;
    if (v + l > end) {
      r.problems.push('truncated_wps_attribute');
      return;
    }
    if (l > 0 && l <= 64) {
      if (t === 0x1021) r.wps_manufacturer = wpsText(b, v, l);
      else if (t === 0x1023) r.wps_model_name = wpsText(b, v, l);
      else if (t === 0x1024) r.wps_model_number = wpsText(b, v, l);
      else if (t === 0x1011) r.wps_device_name = wpsText(b, v, l);
      else if (t === 0x1042) r.wps_serial_number = wpsText(b, v, l);
      else if (t === 0x1054 && l === 8) {
        const cat = (b[v] << 8) | b[v + 1];
        r.wps_device_type = WPS_CATEGORIES[cat] ?? `category ${cat}`;
      }
    }
    p = v + l;
  }
}
