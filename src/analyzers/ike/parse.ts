// ISAKMP/IKE messages (IKEv1: RFC 2408/2409; IKEv2: RFC 7296) as far as they travel in clear: the
// 28-byte header (SPIs, next payload, version, exchange type, flags, message id, length) and the
// payload chain until the first encrypted part — security association proposals and their
// transforms, the key exchange's group, identities (IKEv1 Main Mode's are encrypted, Aggressive
// Mode's are not), vendor ids and notifications. Algorithm names follow IANA's IKEv2 registry as
// strongSwan prints them (AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384). Pure functions.
import { hexString, ipv4String, logString, u16, u32 } from '../dns/text.js';

export const HEADER_LEN = 28;
/** Over UDP 4500 IKE follows four zero bytes (RFC 3948 §2.2: the non-ESP marker). */
export const NON_ESP_MARKER_LEN = 4;
/** Payloads read per message, and proposals/transforms per SA: bounds against crafted chains. */
const MAX_PAYLOADS = 64;
const MAX_PROPOSALS = 16;
const MAX_TRANSFORMS = 64;

export const EXCHANGE_NAMES: Record<number, string> = {
  2: 'Main Mode',
  4: 'Aggressive',
  5: 'Informational',
  6: 'Transaction',
  32: 'Quick Mode',
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
};
export const EXCH_AGGRESSIVE = 4;

const ENCR: Record<number, string> = { 1: 'DES_IV64', 2: 'DES_CBC', 3: '3DES_CBC', 6: 'CAST_CBC', 7: 'BLOWFISH_CBC', 11: 'NULL', 12: 'AES_CBC', 13: 'AES_CTR', 14: 'AES_CCM_8', 15: 'AES_CCM_12', 16: 'AES_CCM_16', 18: 'AES_GCM_8', 19: 'AES_GCM_12', 20: 'AES_GCM_16', 23: 'CAMELLIA_CBC', 28: 'CHACHA20_POLY1305' };
const PRF: Record<number, string> = { 1: 'PRF_HMAC_MD5', 2: 'PRF_HMAC_SHA1', 4: 'PRF_AES128_XCBC', 5: 'PRF_HMAC_SHA2_256', 6: 'PRF_HMAC_SHA2_384', 7: 'PRF_HMAC_SHA2_512', 8: 'PRF_AES128_CMAC' };
const INTEG: Record<number, string> = { 1: 'HMAC_MD5_96', 2: 'HMAC_SHA1_96', 5: 'AES_XCBC_96', 6: 'HMAC_MD5_128', 7: 'HMAC_SHA1_160', 8: 'AES_CMAC_96', 12: 'HMAC_SHA2_256_128', 13: 'HMAC_SHA2_384_192', 14: 'HMAC_SHA2_512_256' };
/** Diffie-Hellman groups, the same numbers in IKEv1's Group Description and IKEv2's D-H transform. */
export const DH_GROUPS: Record<number, string> = { 1: 'MODP_768', 2: 'MODP_1024', 5: 'MODP_1536', 14: 'MODP_2048', 15: 'MODP_3072', 16: 'MODP_4096', 17: 'MODP_6144', 18: 'MODP_8192', 19: 'ECP_256', 20: 'ECP_384', 21: 'ECP_521', 22: 'MODP_1024_160', 23: 'MODP_2048_224', 24: 'MODP_2048_256', 25: 'ECP_192', 26: 'ECP_224', 27: 'ECP_224_BP', 28: 'ECP_256_BP', 29: 'ECP_384_BP', 30: 'ECP_512_BP', 31: 'CURVE_25519', 32: 'CURVE_448' };
const ESN: Record<number, string> = { 0: 'NO_EXT_SEQ', 1: 'EXT_SEQ' };
/** IKEv1 (RFC 2409 Appendix A) Phase 1 attribute values. */
const V1_ENCR: Record<number, string> = { 1: 'DES_CBC', 2: 'IDEA_CBC', 3: 'BLOWFISH_CBC', 4: 'RC5_CBC', 5: '3DES_CBC', 6: 'CAST_CBC', 7: 'AES_CBC', 8: 'CAMELLIA_CBC' };
const V1_HASH: Record<number, string> = { 1: 'MD5', 2: 'SHA1', 3: 'TIGER', 4: 'SHA2_256', 5: 'SHA2_384', 6: 'SHA2_512' };
const V1_AUTH: Record<number, string> = { 1: 'PSK', 2: 'DSS', 3: 'RSA_SIG', 4: 'RSA_ENC', 5: 'RSA_ENC_REV', 9: 'ECDSA_256', 10: 'ECDSA_384', 11: 'ECDSA_521', 65001: 'XAUTH_INIT_PSK', 65002: 'XAUTH_RESP_PSK', 65005: 'XAUTH_INIT_RSA', 65006: 'XAUTH_RESP_RSA' };

/** Notify message types in clear that say something (errors, capabilities). */
export const NOTIFY_NAMES: Record<number, string> = {
  1: 'UNSUPPORTED_CRITICAL_PAYLOAD',
  4: 'INVALID_MAJOR_VERSION',
  7: 'INVALID_SYNTAX',
  9: 'INVALID_MESSAGE_ID',
  14: 'NO_PROPOSAL_CHOSEN',
  17: 'INVALID_KE_PAYLOAD',
  24: 'AUTHENTICATION_FAILED',
  16388: 'NAT_DETECTION_SOURCE_IP',
  16389: 'NAT_DETECTION_DESTINATION_IP',
  16390: 'COOKIE',
  16404: 'MULTIPLE_AUTH_SUPPORTED',
  16406: 'REDIRECT_SUPPORTED',
  16418: 'CHILDLESS_IKEV2_SUPPORTED',
  16430: 'IKEV2_FRAGMENTATION_SUPPORTED',
  16431: 'SIGNATURE_HASH_ALGORITHMS',
  24578: 'INITIAL_CONTACT',
  36136: 'R_U_THERE',
  36137: 'R_U_THERE_ACK',
};

/** Vendor ids whose meaning is published (RFCs, and the implementations' own well-known values). */
const VENDOR_IDS: readonly (readonly [string, string])[] = [
  ['09002689dfd6b712', 'XAUTH'],
  ['afcad71368a1f1c96b8696fc77570100', 'RFC 3706 DPD'],
  ['4a131c81070358455c5728f20e95452f', 'RFC 3947 NAT-T'],
  ['90cb80913ebb696e086381b5ec427b1f', 'draft-ietf-ipsec-nat-t-ike-02'],
  ['cd60464335df21f87cfdb2fc68b6a448', 'draft-ietf-ipsec-nat-t-ike-02'],
  ['4048b7d56ebce88525e7de7f00d6c2d3', 'Cisco Fragmentation'],
  ['12f5f28c457168a9702d9fe274cc0100', 'Cisco Unity'],
  ['1e2b516905991c7d7c96fcbfb587e461', 'Microsoft Windows'],
];

export interface Proposal {
  /** "AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384"; IKEv1: encryption/hash/group/authentication. */
  text: string;
  encr: string[];
  integ: string[];
  prf: string[];
  dh: number[];
  /** IKEv1's authentication method (PSK, RSA_SIG …). */
  auth: string;
}

export interface IkeMessage {
  ispi: string;
  /** Empty while still zero (the initiator's first message). */
  rspi: string;
  /** 1 or 2 (the major version). */
  version: number;
  exchange: number;
  /** The message's payloads after this point are encrypted (IKEv1 E flag, IKEv2 SK payload). */
  encrypted: boolean;
  /** IKEv2: the initiator's flag; IKEv1: the responder SPI is still zero on the first message. */
  fromInitiator: boolean;
  isResponse: boolean;
  proposals: Proposal[];
  /** The key exchange payload's group (0 when none in clear). */
  keGroup: number;
  /** Identification payloads in clear: "FQDN lab-analyzer-3", "IPv4 10.0.0.1" … */
  ids: string[];
  vendorIds: string[];
  notifies: string[];
  /** Malformed payload chain (read up to the damage). */
  damaged: boolean;
}

/** Whether n bytes from p are all zero (a not-yet-known SPI, the non-ESP marker). */
export function allZero(buf: Uint8Array, p: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[p + i] !== 0) return false;
  return true;
}

/** Bytes of non-ESP marker at off (before IKE on UDP 4500), 0 when the datagram has none. */
export function markerLen(buf: Uint8Array, off: number, len: number): number {
  return len >= NON_ESP_MARKER_LEN && allZero(buf, off, NON_ESP_MARKER_LEN) ? NON_ESP_MARKER_LEN : 0;
}

/** Whether the bytes at off start an ISAKMP header whose length is the datagram's. */
export function headerFits(buf: Uint8Array, off: number, len: number): boolean {
  if (len < HEADER_LEN) return false;
  const ver = buf[off + 17];
  if (ver !== 0x10 && ver !== 0x20) return false;
  if (EXCHANGE_NAMES[buf[off + 18]] === undefined) return false;
  return !allZero(buf, off, 8) && u32(buf, off + 24) === len;
}

/** Parses one IKE message (the datagram after any non-ESP marker); null if it is none. */
export function parseMessage(buf: Uint8Array, off: number, len: number): IkeMessage | null {
  if (!headerFits(buf, off, len)) return null;
  const version = buf[off + 17] >> 4;
  const flags = buf[off + 19];
  const rzero = allZero(buf, off + 8, 8);
  const m: IkeMessage = {
    ispi: hexString(buf, off, 8),
    rspi: rzero ? '' : hexString(buf, off + 8, 8),
    version,
    exchange: buf[off + 18],
    encrypted: version === 1 && (flags & 1) !== 0,
    fromInitiator: version === 2 ? (flags & 0x08) !== 0 : rzero,
    isResponse: version === 2 && (flags & 0x20) !== 0,
    proposals: [],
    keGroup: 0,
    ids: [],
    vendorIds: [],
    notifies: [],
    damaged: false,
  };
  if (m.encrypted) return m;
  const end = off + len;
  let np = buf[off + 16];
  let p = off + HEADER_LEN;
  for (let n = 0; np !== 0 && n < MAX_PAYLOADS; n++) {
    if (p + 4 > end) {
      m.damaged = true;
      break;
    }
    const plen = u16(buf, p + 2);
    if (plen < 4 || p + plen > end) {
      m.damaged = true;
      break;
    }
    const type = np;
    np = buf[p];
    const body = p + 4;
    const blen = plen - 4;
    if (type === 46 || type === 53) {
      m.encrypted = true; // IKEv2 SK / SKF: the rest is ciphertext
      break;
    }
    if (type === 1 || type === 33) {
      if (!sa(buf, body, blen, version, m)) m.damaged = true;
    } else if ((type === 4 || type === 34) && version === 2 && blen >= 2) m.keGroup = u16(buf, body);
    else if (type === 5 || type === 35 || type === 36) {
      const id = identity(buf, body, blen);
      if (id !== null) m.ids.push(id);
    } else if (type === 13 || type === 43) m.vendorIds.push(vendorName(buf, body, blen));
    else if (type === 11 || type === 41) {
      // IKEv1: DOI(4) protocol(1) spi size(1) type(2); IKEv2: protocol(1) spi size(1) type(2).
      const t = version === 1 ? (blen >= 8 ? u16(buf, body + 6) : -1) : blen >= 4 ? u16(buf, body + 2) : -1;
      if (t >= 0) m.notifies.push(NOTIFY_NAMES[t] ?? String(t));
    }
    p += plen;
  }
  if (version === 1 && m.keGroup === 0 && m.proposals.length > 0 && m.proposals[0].dh.length > 0) m.keGroup = m.proposals[0].dh[0];
  return m;
}

function vendorName(b: Uint8Array, p: number, n: number): string {
  const h = hexString(b, p, Math.min(n, 32));
  for (const [id, name] of VENDOR_IDS) if (h.startsWith(id)) return name;
  return h;
}

const ID_TYPES: Record<number, string> = { 1: 'IPv4', 2: 'FQDN', 3: 'USER_FQDN', 5: 'IPv6', 9: 'DER_ASN1_DN', 11: 'KEY_ID' };

/** An identification payload: type(1), then 3 bytes (IKEv1 protocol and port; IKEv2 reserved), then the data. */
function identity(b: Uint8Array, p: number, n: number): string | null {
  if (n < 5) return null;
  const t = b[p];
  const d = p + 4;
  const dl = n - 4;
  const name = ID_TYPES[t] ?? String(t);
  if (t === 1 && dl === 4) return `${name} ${ipv4String(b, d)}`;
  if (t === 2 || t === 3) return `${name} ${logString(b, d, Math.min(dl, 255))}`;
  return `${name} ${hexString(b, d, Math.min(dl, 32))}`;
}

/** A security association payload's proposals; false when its structure does not fit. */
function sa(b: Uint8Array, p: number, n: number, version: number, m: IkeMessage): boolean {
  let q = p;
  const end = p + n;
  if (version === 1) {
    if (n < 8) return false;
    q += 8; // DOI, situation
  }
  for (let i = 0; i < MAX_PROPOSALS && q + 8 <= end; i++) {
    const more = b[q];
    const plen = u16(b, q + 2);
    if (plen < 8 || q + plen > end) return false;
    const spiSize = b[q + 6];
    const nt = b[q + 7];
    let t = q + 8 + spiSize;
    const pe = q + plen;
    const pr: Proposal = { text: '', encr: [], integ: [], prf: [], dh: [], auth: '' };
    const v1: string[] = [];
    for (let j = 0; j < Math.min(nt, MAX_TRANSFORMS) && t + 8 <= pe; j++) {
      const tlen = u16(b, t + 2);
      if (tlen < 8 || t + tlen > pe) return false;
      if (version === 2) transform2(b, t, tlen, pr);
      else v1.push(transform1(b, t, tlen, pr));
      t += tlen;
    }
    if (version === 2) pr.text = [...pr.encr, ...pr.integ, ...pr.prf, ...pr.dh.map((g) => DH_GROUPS[g] ?? `DH_${g}`)].join('/');
    else pr.text = v1.filter((x) => x !== '').join(', ');
    m.proposals.push(pr);
    q = pe;
    if (more === 0) break;
  }
  return true;
}

/** IKEv2 transform: type(1) reserved(1) id(2), then attributes (key length, TV 14). */
function transform2(b: Uint8Array, t: number, tlen: number, pr: Proposal): void {
  const type = b[t + 4];
  const id = u16(b, t + 6);
  let keyLen = 0;
  for (let a = t + 8; a + 4 <= t + tlen; ) {
    const at = u16(b, a);
    if (at & 0x8000) {
      if ((at & 0x7fff) === 14) keyLen = u16(b, a + 2);
      a += 4;
    } else a += 4 + u16(b, a + 2);
  }
  if (type === 1) pr.encr.push((ENCR[id] ?? `ENCR_${id}`) + (keyLen > 0 ? `_${keyLen}` : ''));
  else if (type === 2) pr.prf.push(PRF[id] ?? `PRF_${id}`);
  else if (type === 3) pr.integ.push(INTEG[id] ?? `INTEG_${id}`);
  else if (type === 4) pr.dh.push(id);
  else if (type === 5 && ESN[id] === undefined) pr.integ.push(`ESN_${id}`);
}

/** IKEv1 transform: number(1) id(1) reserved(2), then Phase 1 attributes; "AES_CBC_128/SHA1/MODP_1024/PSK". */
function transform1(b: Uint8Array, t: number, tlen: number, pr: Proposal): string {
  let enc = '';
  let hash = '';
  let group = 0;
  let auth = '';
  let keyLen = 0;
  for (let a = t + 8; a + 4 <= t + tlen; ) {
    const at = u16(b, a);
    if (!(at & 0x8000)) {
      a += 4 + u16(b, a + 2);
      continue;
    }
    const v = u16(b, a + 2);
    switch (at & 0x7fff) {
      case 1:
        enc = V1_ENCR[v] ?? `ENCR_${v}`;
        break;
      case 2:
        hash = V1_HASH[v] ?? `HASH_${v}`;
        break;
      case 3:
        auth = V1_AUTH[v] ?? `AUTH_${v}`;
        break;
      case 4:
        group = v;
        break;
      case 14:
        keyLen = v;
        break;
    }
    a += 4;
  }
  if (enc === '' && hash === '' && group === 0) return ''; // an ESP (Phase 2) transform: its id says it
  const e = enc + (keyLen > 0 ? `_${keyLen}` : '');
  if (e !== '') pr.encr.push(e);
  if (hash !== '') {
    pr.integ.push(hash);
    pr.prf.push(hash);
  }
  if (group > 0) pr.dh.push(group);
  if (auth !== '' && pr.auth === '') pr.auth = auth;
  return [e, hash, group > 0 ? DH_GROUPS[group] ?? `DH_${group}` : '', auth].filter((x) => x !== '').join('/');
}
