// TLS client and server fingerprints.
// JA3 (salesforce/ja3 README): md5 of "SSLVersion,Ciphers,Extensions,EllipticCurves,
// EllipticCurvePointFormats", decimal values joined by "-", GREASE (RFC 8701) removed.
// JA3S: md5 of "SSLVersion,Cipher,Extensions" of the ServerHello.
// JA4 (FoxIO JA4 technical details): "<t|q|d><version><d|i><ciphers:2><extensions:2><alpn:2>_
// <sha256-12 of sorted ciphers>_<sha256-12 of sorted extensions without SNI and ALPN, then '_'
// and the signature algorithms in their order>"; ja4_r is the same with the raw lists.
import { createHash } from 'node:crypto';
import { isGrease } from './names.js';

export interface ClientHelloFacts {
  /** The handshake's client_version (legacy_version). */
  version: number;
  ciphers: number[];
  extensions: number[];
  groups: number[];
  pointFormats: number[];
  supportedVersions: number[];
  sigAlgs: number[];
  alpn: string[];
  hasSni: boolean;
}

const EXT_SNI = 0x0000;
const EXT_ALPN = 0x0010;
/** Counts in JA4 are two decimal digits, capped. */
const JA4_MAX_COUNT = 99;
/** Truncated hash length in JA4. */
const JA4_HASH_CHARS = 12;
const JA4_EMPTY_HASH = '000000000000';

const noGrease = (v: number): boolean => !isGrease(v);

export function ja3String(h: ClientHelloFacts): string {
  return [
    h.version,
    h.ciphers.filter(noGrease).join('-'),
    h.extensions.filter(noGrease).join('-'),
    h.groups.filter(noGrease).join('-'),
    h.pointFormats.join('-'),
  ].join(',');
}

export function ja3sString(version: number, cipher: number, extensions: number[]): string {
  return [version, cipher, extensions.filter(noGrease).join('-')].join(',');
}

/**
 * md5 of fingerprint strings, remembered: the same server software answers with the same JA3S on
 * every connection. (Client fingerprints are remembered whole, see clientFingerprints.)
 */
const DIGEST_CACHE_MAX = 8192;
const md5Cache = new Map<string, string>();

export function md5(s: string): string {
  let d = md5Cache.get(s);
  if (d === undefined) {
    d = createHash('md5').update(s).digest('hex');
    if (md5Cache.size >= DIGEST_CACHE_MAX) md5Cache.clear();
    md5Cache.set(s, d);
  }
  return d;
}

function sha12(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, JA4_HASH_CHARS);
}

/** JA4's two-character version code. */
function ja4Version(v: number): string {
  switch (v) {
    case 0x0304:
      return '13';
    case 0x0303:
      return '12';
    case 0x0302:
      return '11';
    case 0x0301:
      return '10';
    case 0x0300:
      return 's3';
    case 0x0002:
      return 's2';
    case 0xfeff:
      return 'd1';
    case 0xfefd:
      return 'd2';
    case 0xfefc:
      return 'd3';
    default:
      return '00';
  }
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** First and last character of the first ALPN value; hex digits when either is not alphanumeric. */
function ja4Alpn(alpn: string[]): string {
  if (alpn.length === 0 || alpn[0].length === 0) return '00';
  const a = alpn[0];
  const first = a.charCodeAt(0);
  const last = a.charCodeAt(a.length - 1);
  if (isAlnum(first) && isAlnum(last)) return a[0] + a[a.length - 1];
  const hx = Buffer.from(a, 'latin1').toString('hex');
  return hx[0] + hx[hx.length - 1];
}

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const count2 = (n: number): string => String(Math.min(n, JA4_MAX_COUNT)).padStart(2, '0');

export interface Ja4 {
  ja4: string;
  ja4_r: string;
}

/** `transport`: 't' TLS over TCP, 'q' QUIC, 'd' DTLS. */
export function ja4(h: ClientHelloFacts, transport: 't' | 'q' | 'd'): Ja4 {
  const ciphers = h.ciphers.filter(noGrease);
  const exts = h.extensions.filter(noGrease);
  const versions = h.supportedVersions.filter(noGrease);
  const version = versions.length > 0 ? Math.max(...versions) : h.version;
  const prefix =
    transport + ja4Version(version) + (h.hasSni ? 'd' : 'i') + count2(ciphers.length) + count2(exts.length) + ja4Alpn(h.alpn);
  const cipherList = ciphers.map(hex4).sort().join(',');
  const extList = exts
    .filter((e) => e !== EXT_SNI && e !== EXT_ALPN)
    .map(hex4)
    .sort()
    .join(',');
  const sigs = h.sigAlgs.filter(noGrease).map(hex4).join(',');
  const extPart = sigs.length > 0 ? `${extList}_${sigs}` : extList;
  return {
    ja4: `${prefix}_${ciphers.length ? sha12(cipherList) : JA4_EMPTY_HASH}_${extList.length ? sha12(extPart) : JA4_EMPTY_HASH}`,
    ja4_r: `${prefix}_${cipherList}_${extPart}`,
  };
}

export interface ClientFingerprints {
  ja3String: string;
  ja3: string;
  ja4: string;
  ja4_r: string;
}

/**
 * Fingerprints of ClientHellos already seen, by a hash of every field they depend on (each hit
 * compared field by field): a client program sends the same hello on every connection, so most
 * hellos cost a hash of a few dozen numbers instead of three strings and two digests.
 */
const FP_CACHE_MAX = 4096;
interface FpEntry {
  transport: string;
  facts: ClientHelloFacts;
  fp: ClientFingerprints;
}
const fpCache = new Map<number, FpEntry | FpEntry[]>();

function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193);
}

function mixList(h: number, a: readonly number[]): number {
  h = mix(h, a.length + 0x10000);
  for (let i = 0; i < a.length; i++) h = mix(h, a[i]);
  return h;
}

function factsHash(f: ClientHelloFacts, transport: string): number {
  let h = mix(0x811c9dc5, f.version);
  h = mix(h, transport.charCodeAt(0));
  h = mix(h, f.hasSni ? 1 : 2);
  h = mixList(h, f.ciphers);
  h = mixList(h, f.extensions);
  h = mixList(h, f.groups);
  h = mixList(h, f.pointFormats);
  h = mixList(h, f.supportedVersions);
  h = mixList(h, f.sigAlgs);
  h = mix(h, f.alpn.length + 0x10000);
  for (const a of f.alpn) {
    h = mix(h, a.length + 0x10000);
    for (let i = 0; i < a.length; i++) h = mix(h, a.charCodeAt(i));
  }
  return h >>> 0;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameFacts(a: ClientHelloFacts, b: ClientHelloFacts): boolean {
  return (
    a.version === b.version &&
    a.hasSni === b.hasSni &&
    sameList(a.ciphers, b.ciphers) &&
    sameList(a.extensions, b.extensions) &&
    sameList(a.groups, b.groups) &&
    sameList(a.pointFormats, b.pointFormats) &&
    sameList(a.supportedVersions, b.supportedVersions) &&
    sameList(a.sigAlgs, b.sigAlgs) &&
    sameList(a.alpn, b.alpn)
  );
}

/** JA3 (string and md5) and JA4 (hashed and raw) of a ClientHello. */
export function clientFingerprints(h: ClientHelloFacts, transport: 't' | 'q' | 'd'): ClientFingerprints {
  const k = factsHash(h, transport);
  const hit = fpCache.get(k);
  if (hit !== undefined) {
    if (!Array.isArray(hit)) {
      if (hit.transport === transport && sameFacts(hit.facts, h)) return hit.fp;
    } else {
      for (const e of hit) if (e.transport === transport && sameFacts(e.facts, h)) return e.fp;
    }
  }
  const js = ja3String(h);
  const j4 = ja4(h, transport);
  const fp: ClientFingerprints = { ja3String: js, ja3: md5(js), ja4: j4.ja4, ja4_r: j4.ja4_r };
  if (fpCache.size >= FP_CACHE_MAX) fpCache.clear();
  // The key's own copy of the lists: the hello's arrays travel on in its event.
  const facts: ClientHelloFacts = {
    version: h.version,
    ciphers: h.ciphers.slice(),
    extensions: h.extensions.slice(),
    groups: h.groups.slice(),
    pointFormats: h.pointFormats.slice(),
    supportedVersions: h.supportedVersions.slice(),
    sigAlgs: h.sigAlgs.slice(),
    alpn: h.alpn.slice(),
    hasSni: h.hasSni,
  };
  const e: FpEntry = { transport, facts, fp };
  const cur = fpCache.get(k);
  if (cur === undefined) fpCache.set(k, e);
  else if (Array.isArray(cur)) cur.push(e);
  else fpCache.set(k, [cur, e]);
  return fp;
}

