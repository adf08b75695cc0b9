// Spanning Tree BPDUs (IEEE 802.1D-2004 §9.3: STP configuration and topology change notification;
// RSTP; 802.1Q-2018 §14: MSTP's configuration identifier) and Cisco's PVST+ BPDUs, which carry
// the same body with the VLAN in a trailing TLV. From the BPDU's protocol identifier on. Pure:
// no state, bounded by the frame.
import { macAt } from '../l2text.js';

export const BPDU_CONFIG = 0x00;
export const BPDU_TCN = 0x80;
export const BPDU_RST = 0x02;

/** RSTP port roles, flags bits 2–3 (802.1D-2004 §9.3.3). */
const PORT_ROLES = ['unknown', 'alternate_backup', 'root', 'designated'];

/** 802.1D bridge identifier: 4-bit priority (in steps of 4096), 12-bit system id extension, MAC. */
export interface BridgeId {
  priority: number;
  ext: number;
  mac: string;
}

export interface Bpdu {
  version: number;
  bpduType: number;
  /** Configuration and RST BPDUs only. */
  tc?: boolean;
  tca?: boolean;
  proposal?: boolean;
  agreement?: boolean;
  learning?: boolean;
  forwarding?: boolean;
  portRole?: string;
  root?: BridgeId;
  rootCost?: number;
  bridge?: BridgeId;
  portId?: number;
  /** Seconds (the BPDU counts in 1/256 s). */
  messageAge?: number;
  maxAge?: number;
  helloTime?: number;
  forwardDelay?: number;
  /** MSTP: the MST configuration name and revision, and how many MSTI records follow. */
  mstName?: string;
  mstRevision?: number;
  mstis?: number;
  /** PVST+: the VLAN its trailing TLV names. */
  pvstVlan?: number;
}

const CONFIG_LEN = 35;

function bridgeId(b: Uint8Array, off: number): BridgeId {
  const p = (b[off] << 8) | b[off + 1];
  return { priority: p & 0xf000, ext: p & 0x0fff, mac: macAt(b, off + 2) };
}

const seconds = (b: Uint8Array, off: number): number => ((b[off] << 8) | b[off + 1]) / 256;

/**
 * Parses the BPDU at `off`; 'bad' when it is not one (protocol identifier not 0, an unknown type,
 * cut short of its fixed part). `pvst`: a Cisco PVST+ BPDU, whose VLAN TLV follows the body.
 */
export function parseBpdu(b: Uint8Array, off: number, len: number, pvst = false): Bpdu | 'bad' {
  if (len < 4 || off + len > b.length || b[off] !== 0 || b[off + 1] !== 0) return 'bad';
  const version = b[off + 2];
  const bpduType = b[off + 3];
  const r: Bpdu = { version, bpduType };
  if (bpduType === BPDU_TCN) return r;
  if (bpduType !== BPDU_CONFIG && bpduType !== BPDU_RST) return 'bad';
  if (len < CONFIG_LEN) return 'bad';
  const f = b[off + 4];
  r.tc = (f & 0x01) !== 0;
  r.tca = (f & 0x80) !== 0;
  if (bpduType === BPDU_RST) {
    r.proposal = (f & 0x02) !== 0;
    r.portRole = PORT_ROLES[(f >> 2) & 0x03];
    r.learning = (f & 0x10) !== 0;
    r.forwarding = (f & 0x20) !== 0;
    r.agreement = (f & 0x40) !== 0;
  }
  r.root = bridgeId(b, off + 5);
  r.rootCost = ((b[off + 13] << 24) | (b[off + 14] << 16) | (b[off + 15] << 8) | b[off + 16]) >>> 0;
  r.bridge = bridgeId(b, off + 17);
  r.portId = (b[off + 25] << 8) | b[off + 26];
  r.messageAge = seconds(b, off + 27);
  r.maxAge = seconds(b, off + 29);
  r.helloTime = seconds(b, off + 31);
  r.forwardDelay = seconds(b, off + 33);
  let end = CONFIG_LEN;
  if (bpduType === BPDU_RST) end = 36;
  // MSTP (802.1Q §14.6): Version 3 Length, then the MST Configuration Identifier (format selector,
  // 32-byte name, revision, digest), the CIST's internal root path cost, bridge id, remaining
  // hops, and 16 bytes per MSTI.
  if (bpduType === BPDU_RST && version >= 3 && len >= 102) {
    const v3len = (b[off + 36] << 8) | b[off + 37];
    let name = '';
    for (let i = 0; i < 32; i++) {
      const c = b[off + 39 + i];
      if (c === 0) break;
      name += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
    }
    r.mstName = name;
    r.mstRevision = (b[off + 71] << 8) | b[off + 72];
    const body = Math.min(v3len, len - 38);
    r.mstis = body > 64 ? Math.floor((body - 64) / 16) : 0;
    end = 38 + v3len;
  }
  // PVST+: after the body, TLV type 0, length 2, the VLAN (Cisco's "PVID" TLV).
  if (pvst && len >= end + 6) {
    const t = (b[off + end] << 8) | b[off + end + 1];
    const l = (b[off + end + 2] << 8) | b[off + end + 3];
    if (t === 0 && l === 2) r.pvstVlan = (b[off + end + 4] << 8) | b[off + end + 5];
  }
  return r;
}
