// X.509 v1–v3 certificate parsing (RFC 5280 §4.1) into the facts Zeek's x509.log shows:
// version, serial, subject and issuer in OpenSSL's RFC 2253 form (RFC 4514 §2: last RDN first,
// "," between RDNs, "+" inside one, special characters escaped), validity, key and signature
// algorithms, key size, RSA exponent, EC curve, subjectAltName (§4.2.1.6) and basicConstraints
// (§4.2.1.9). Pure: bytes in, fields or null out.
import { createHash } from 'node:crypto';
import {
  CLASS_CONTEXT,
  CONSTRUCTED,
  TAG_BIT_STRING,
  TAG_BMP,
  TAG_BOOLEAN,
  TAG_GENERAL,
  TAG_GRAPHIC,
  TAG_IA5,
  TAG_INTEGER,
  TAG_NUMERIC,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_PRINTABLE,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_T61,
  TAG_UNIVERSAL,
  TAG_UTF8,
  TAG_VIDEOTEX,
  TAG_VISIBLE,
  bitLength,
  children,
  integerDecimal,
  integerHex,
  oidText,
  parseTime,
  readTlv,
  type Tlv,
} from './der.js';
import {
  ALGORITHM_NAMES,
  ATTRIBUTE_NAMES,
  CURVES,
  OID_BASIC_CONSTRAINTS,
  OID_DSA,
  OID_EC_PUBLIC_KEY,
  OID_OIW_MD5_RSA,
  OID_OIW_SHA1_RSA,
  OID_PKCS1_PREFIX,
  OID_SUBJECT_ALT_NAME,
} from './oids.js';
import { evictOldest } from '../../util/evict.js';

/** Bounds on what one certificate may make us collect. */
const MAX_RDNS = 64;
const MAX_EXTENSIONS = 64;
const MAX_SAN_ENTRIES = 512;
const MAX_NAME_CHARS = 4096;

/** GeneralName choices (RFC 5280 §4.2.1.6), as context-specific tags. */
const GN_RFC822 = CLASS_CONTEXT | 1;
const GN_DNS = CLASS_CONTEXT | 2;
const GN_URI = CLASS_CONTEXT | 6;
const GN_IP = CLASS_CONTEXT | 7;

const TBS_VERSION = CLASS_CONTEXT | CONSTRUCTED | 0;
const TBS_EXTENSIONS = CLASS_CONTEXT | CONSTRUCTED | 3;

export interface X509Info {
  /** sha256 of the DER, lower-case hex (Zeek's fingerprint). */
  fingerprint: string;
  /** sha1 of the DER (what nDPI and Arkime show). */
  sha1: string;
  version: number;
  serial: string;
  subject: string;
  issuer: string;
  not_valid_before: number | null;
  not_valid_after: number | null;
  key_alg: string;
  sig_alg: string;
  key_type?: string;
  key_length?: number;
  exponent?: string;
  curve?: string;
  san_dns?: string[];
  san_uri?: string[];
  san_email?: string[];
  san_ip?: string[];
  basic_constraints_ca?: boolean;
  basic_constraints_path_len?: number;
  /** Common names of the subject, for SNI matching. */
  subject_cn: string[];
  /** Subject and issuer are the same name (byte for byte). */
  self_issued: boolean;
}

function algorithmName(oid: string): string {
  return ALGORITHM_NAMES.get(oid) ?? oid;
}

/** Decodes a directory string to text; null for a type that is not a string (dumped as hex). */
function decodeString(buf: Uint8Array, t: Tlv): string | null {
  const b = buf.subarray(t.start, t.end);
  switch (t.tag) {
    case TAG_UTF8:
      return new TextDecoder('utf-8').decode(b);
    case TAG_BMP: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    case TAG_UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    case TAG_PRINTABLE:
    case TAG_IA5:
    case TAG_NUMERIC:
    case TAG_T61:
    case TAG_VIDEOTEX:
    case TAG_VISIBLE:
    case TAG_GRAPHIC:
    case TAG_GENERAL:
      // One byte per character (OpenSSL reads T61String as Latin-1 too).
      return Buffer.from(b).toString('latin1');
    default:
      return null;
  }
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** RFC 2253 §2.4 escaping as OpenSSL applies it (control characters as \XX; UTF-8 kept). */
function escapeValue(v: string): string {
  let out = '';
  const chars = Array.from(v);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += '\\' + code.toString(16).toUpperCase().padStart(2, '0');
    else if (',+"\\<>;'.includes(c)) out += '\\' + c;
    else if ((i === 0 && (c === '#' || c === ' ')) || (i === chars.length - 1 && c === ' ')) out += '\\' + c;
    else out += c;
  }
  return out;
}

interface NameParts {
  text: string;
  cn: string[];
}

/** Formats a Name (SEQUENCE OF SET OF AttributeTypeAndValue) as OpenSSL's RFC 2253 string. */
function formatName(buf: Uint8Array, name: Tlv): NameParts | null {
  const rdns = children(buf, name, MAX_RDNS);
  if (rdns === null) return null;
  const entries: { set: number; key: string; value: string }[] = [];
  const cn: string[] = [];
  for (let r = 0; r < rdns.length; r++) {
    if (rdns[r].tag !== TAG_SET) return null;
    const atvs = children(buf, rdns[r], MAX_RDNS);
    if (atvs === null) return null;
    for (const atv of atvs) {
      if (atv.tag !== TAG_SEQUENCE) return null;
      const parts = children(buf, atv, 2);
      if (parts === null || parts.length !== 2 || parts[0].tag !== TAG_OID) return null;
      const oid = oidText(buf, parts[0]);
      if (oid === null) return null;
      const key = ATTRIBUTE_NAMES.get(oid) ?? oid;
      const s = decodeString(buf, parts[1]);
      // A value that is not a string is shown as '#' and the hex of its whole encoding.
      const value = s === null ? '#' + hex(buf.subarray(parts[1].off, parts[1].end)) : escapeValue(s);
      if (key === 'CN' && s !== null) cn.push(s);
      entries.push({ set: r, key, value });
    }
  }
  let text = '';
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (i < entries.length - 1) text += entries[i + 1].set === e.set ? '+' : ',';
    text += e.key + '=' + e.value;
    if (text.length > MAX_NAME_CHARS) break;
  }
  return { text: text.slice(0, MAX_NAME_CHARS), cn };
}

function formatIp(b: Uint8Array): string | null {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) return null;
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i] << 8) | b[i + 1]);
  // RFC 5952: compress the longest run (of at least two) of zero words.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = w.map((x) => x.toString(16));
  if (best < 0) return h.join(':');
  return h.slice(0, best).join(':') + '::' + h.slice(best + bestLen).join(':');
}

function parseSan(buf: Uint8Array, t: Tlv, out: X509Info): void {
  const seq = readTlv(buf, t.start, t.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return;
  const names = children(buf, seq, MAX_SAN_ENTRIES);
  if (names === null) return;
  for (const n of names) {
    const b = buf.subarray(n.start, n.end);
    if (n.tag === GN_DNS) (out.san_dns ??= []).push(Buffer.from(b).toString('latin1'));
    else if (n.tag === GN_URI) (out.san_uri ??= []).push(Buffer.from(b).toString('latin1'));
    else if (n.tag === GN_RFC822) (out.san_email ??= []).push(Buffer.from(b).toString('latin1'));
    else if (n.tag === GN_IP) {
      const ip = formatIp(b);
      if (ip !== null) (out.san_ip ??= []).push(ip);
    }
  }
}

function parseBasicConstraints(buf: Uint8Array, t: Tlv, out: X509Info): void {
  const seq = readTlv(buf, t.start, t.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return;
  const parts = children(buf, seq, 2);
  if (parts === null) return;
  out.basic_constraints_ca = false;
  for (const p of parts) {
    if (p.tag === TAG_BOOLEAN && p.end - p.start === 1) out.basic_constraints_ca = buf[p.start] !== 0;
    else if (p.tag === TAG_INTEGER && p.end - p.start <= 4) {
      let v = 0;
      for (let i = p.start; i < p.end; i++) v = v * 256 + buf[i];
      out.basic_constraints_path_len = v;
    }
  }
}

function parseExtensions(buf: Uint8Array, wrapper: Tlv, out: X509Info): void {
  const seq = readTlv(buf, wrapper.start, wrapper.end);
  if (seq === null || seq.tag !== TAG_SEQUENCE) return;
  const exts = children(buf, seq, MAX_EXTENSIONS);
  if (exts === null) return;
  for (const e of exts) {
    const parts = children(buf, e, 3);
    if (parts === null || parts.length < 2 || parts[0].tag !== TAG_OID) continue;
    const value = parts[parts.length - 1];
    if (value.tag !== TAG_OCTET_STRING) continue;
    const oid = oidText(buf, parts[0]);
    if (oid === OID_SUBJECT_ALT_NAME) parseSan(buf, value, out);
    else if (oid === OID_BASIC_CONSTRAINTS) parseBasicConstraints(buf, value, out);
  }
}

/** Key type, size, exponent and curve from SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
function parseKey(buf: Uint8Array, spki: Tlv, out: X509Info): boolean {
  const parts = children(buf, spki, 2);
  if (parts === null || parts.length !== 2 || parts[0].tag !== TAG_SEQUENCE || parts[1].tag !== TAG_BIT_STRING) return false;
  const alg = children(buf, parts[0], 2);
  if (alg === null || alg.length === 0 || alg[0].tag !== TAG_OID) return false;
  const oid = oidText(buf, alg[0]);
  if (oid === null) return false;
  out.key_alg = algorithmName(oid);
  const bits = parts[1];
  // The BIT STRING's first content byte counts unused bits; the key follows.
  const keyStart = bits.start + 1;
  if (oid.startsWith(OID_PKCS1_PREFIX) || oid === OID_OIW_SHA1_RSA || oid === OID_OIW_MD5_RSA) {
    out.key_type = 'rsa';
    const rsa = readTlv(buf, keyStart, bits.end);
    const nums = rsa !== null && rsa.tag === TAG_SEQUENCE ? children(buf, rsa, 2) : null;
    if (nums !== null && nums.length === 2 && nums[0].tag === TAG_INTEGER && nums[1].tag === TAG_INTEGER) {
      out.key_length = bitLength(buf, nums[0].start, nums[0].end);
      out.exponent = integerDecimal(buf, nums[1]);
    }
  } else if (oid === OID_DSA) {
    out.key_type = 'dsa';
    const params = alg.length > 1 && alg[1].tag === TAG_SEQUENCE ? children(buf, alg[1], 3) : null;
    if (params !== null && params.length === 3 && params[0].tag === TAG_INTEGER) out.key_length = bitLength(buf, params[0].start, params[0].end);
  } else if (oid === OID_EC_PUBLIC_KEY) {
    out.key_type = 'ecdsa';
    if (alg.length > 1 && alg[1].tag === TAG_OID) {
      const c = CURVES.get(oidText(buf, alg[1]) ?? '');
      if (c !== undefined) {
        out.curve = c.name;
        out.key_length = c.bits;
      }
    }
  }
  return true;
}

/** Certificates recur on every connection to the same server: parse each distinct one once. */
const CERT_CACHE_MAX = 4096;
const certCache = new Map<string, { der: Uint8Array; info: X509Info | null }>();

/**
 * FNV-1a over the first and last 128 bytes (serial number and issuer near the start, the
 * signature at the end): a cheap key; equality is still checked byte for byte.
 */
function quickHash(b: Uint8Array): number {
  let h = 0x811c9dc5;
  const n = b.length;
  const head = Math.min(n, 128);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ b[i], 0x01000193);
  for (let i = Math.max(head, n - 128); i < n; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/**
 * parseCertificate() through a bounded cache keyed by content. The result is frozen: it is
 * shared by every connection that presents the same certificate.
 */
export function parseCertificateCached(der: Uint8Array): X509Info | null {
  const key = `${der.length}:${quickHash(der)}`;
  const hit = certCache.get(key);
  if (hit !== undefined && Buffer.compare(hit.der, der) === 0) return hit.info;
  const info = parseCertificate(der);
  if (info !== null) Object.freeze(info);
  if (certCache.size >= CERT_CACHE_MAX) evictOldest(certCache);
  certCache.set(key, { der: der.slice(), info });
  return info;
}

/** Parses one DER certificate; null if it is not a well-formed X.509 certificate. */
export function parseCertificate(der: Uint8Array): X509Info | null {
  const cert = readTlv(der, 0, der.length);
  if (cert === null || cert.tag !== TAG_SEQUENCE) return null;
  const top = children(der, cert, 3);
  if (top === null || top.length !== 3 || top[0].tag !== TAG_SEQUENCE || top[1].tag !== TAG_SEQUENCE) return null;
  const tbs = children(der, top[0], 16);
  if (tbs === null) return null;
  let i = 0;
  let version = 1;
  if (tbs[i]?.tag === TBS_VERSION) {
    const v = readTlv(der, tbs[i].start, tbs[i].end);
    if (v === null || v.tag !== TAG_INTEGER || v.end - v.start !== 1) return null;
    version = der[v.start] + 1;
    i++;
  }
  const serial = tbs[i++];
  const sigInner = tbs[i++];
  const issuer = tbs[i++];
  const validity = tbs[i++];
  const subject = tbs[i++];
  const spki = tbs[i++];
  if (spki === undefined || serial.tag !== TAG_INTEGER || issuer.tag !== TAG_SEQUENCE || validity.tag !== TAG_SEQUENCE || subject.tag !== TAG_SEQUENCE || spki.tag !== TAG_SEQUENCE) return null;
  void sigInner;
  const sigAlg = children(der, top[1], 2);
  if (sigAlg === null || sigAlg.length === 0 || sigAlg[0].tag !== TAG_OID) return null;
  const sigOid = oidText(der, sigAlg[0]);
  const iss = formatName(der, issuer);
  const sub = formatName(der, subject);
  const times = children(der, validity, 2);
  if (sigOid === null || iss === null || sub === null || times === null || times.length !== 2) return null;
  const out: X509Info = {
    fingerprint: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
    version,
    serial: integerHex(der, serial),
    subject: sub.text,
    issuer: iss.text,
    not_valid_before: parseTime(der, times[0]),
    not_valid_after: parseTime(der, times[1]),
    key_alg: '',
    sig_alg: algorithmName(sigOid),
    subject_cn: sub.cn,
    self_issued: equalBytes(der, issuer, subject),
  };
  if (!parseKey(der, spki, out)) return null;
  for (; i < tbs.length; i++) if (tbs[i].tag === TBS_EXTENSIONS) parseExtensions(der, tbs[i], out);
  return out;
}

function equalBytes(buf: Uint8Array, a: Tlv, b: Tlv): boolean {
  if (a.end - a.start !== b.end - b.start) return false;
  for (let k = 0; k < a.end - a.start; k++) if (buf[a.start + k] !== buf[b.start + k]) return false;
  return true;
}

/** RFC 6125 §6.4.3 host name matching against one certificate name (left-most "*" label only). */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return h === p;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}
