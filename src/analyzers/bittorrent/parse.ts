// BitTorrent's wire formats, pure and bounded:
// - the peer-wire handshake (BEP 3): <19>"BitTorrent protocol", 8 reserved bytes (BEP 4 assigns
//   bits: 0x10 of byte 5 the extension protocol, 0x01 of byte 7 DHT, 0x04 of byte 7 Fast), the
//   20-byte info hash and the 20-byte peer id; then length-prefixed messages (<len:4><id:1>);
// - bencoding (BEP 3), for the extension handshake (BEP 10: "v" the client's name and version,
//   "m" the extensions it speaks, "p" its listen port) and DHT messages;
// - KRPC, the DHT's messages (BEP 5): a bencoded dictionary with "t" (transaction), "y" (q, r or
//   e), "q" (the query's method) and "a" (its arguments), "v" the client (BEP 20);
// - uTP's header (BEP 29): <type:4><ver:4> (version 1), the first extension, connection id,
//   timestamps, window, sequence and acknowledgement numbers, then a chain of extensions;
// - Local Service Discovery (BEP 14): "BT-SEARCH * HTTP/1.1" announcements to 239.192.152.143
//   or ff15::efc0:988f, port 6771, with Host, Port, Infohash and cookie headers;
// - the UDP tracker protocol (BEP 15): a connect request opens with the protocol id
//   0x41727101980; announce requests carry the info hash and peer id.
// Peer ids name the client (BEP 20): see clients.ts.
import { latin1 } from '../textproto.js';

export const PSTR = '\x13BitTorrent protocol';
export const HANDSHAKE_LEN = 68;
/** A message longer than this is not BitTorrent (a piece is 16 KiB of a block plus 9 bytes; a bitfield of a huge torrent under 1 MiB). */
export const MAX_MESSAGE = 1 << 20;
/** The extension handshake and other bencoded payloads are read up to this size. */
export const MAX_BENCODED = 16 * 1024;
export const UTP_HEADER = 20;

export function isPstr(b: Uint8Array, o: number, len: number): boolean {
  if (len < 20) return false;
  for (let i = 0; i < 20; i++) if (b[o + i] !== PSTR.charCodeAt(i)) return false;
  return true;
}

/** Whether the first `len` (< 20) bytes agree with the handshake's start. */
export function isPstrPrefix(b: Uint8Array, o: number, len: number): boolean {
  const n = Math.min(len, 20);
  for (let i = 0; i < n; i++) if (b[o + i] !== PSTR.charCodeAt(i)) return false;
  return true;
}

export function hex(b: Uint8Array, o: number, n: number): string {
  return Buffer.from(b.buffer, b.byteOffset + o, n).toString('hex');
}

export interface Handshake {
  infoHash: string;
  peerIdBytes: Uint8Array;
  /** Reserved bits the peer set: extension-protocol, dht, fast. */
  features: string[];
}

/** The 68-byte handshake at `o`, or null. */
export function parseHandshake(b: Uint8Array, o: number, len: number): Handshake | null {
  if (len < HANDSHAKE_LEN || !isPstr(b, o, len)) return null;
  const r = o + 20;
  const features: string[] = [];
  if ((b[r + 5] & 0x10) !== 0) features.push('extension-protocol');
  if ((b[r + 7] & 0x01) !== 0) features.push('dht');
  if ((b[r + 7] & 0x04) !== 0) features.push('fast');
  const peerIdBytes = b.slice(o + 48, o + 68);
  return { infoHash: hex(b, o + 28, 20), peerIdBytes, features };
}

// ---- bencoding ----

export type BValue = number | Uint8Array | BValue[] | BDict;
export type BDict = Map<string, BValue>;

const MAX_DEPTH = 12;
const MAX_ITEMS = 2048;

/** Decodes one bencoded value at `o` (within `end`): the value and where it ends, or null. */
export function bdecode(b: Uint8Array, o: number, end: number): { value: BValue; next: number } | null {
  const budget = { items: MAX_ITEMS };
  return value(b, o, end, 0, budget);
}

function value(b: Uint8Array, o: number, end: number, depth: number, budget: { items: number }): { value: BValue; next: number } | null {
  if (o >= end || depth > MAX_DEPTH || --budget.items < 0) return null;
  const c = b[o];
  if (c === 0x69) {
    // i<digits>e
    let p = o + 1;
    let neg = false;
    if (p < end && b[p] === 0x2d) {
      neg = true;
      p++;
    }
    let n = 0;
    const start = p;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39 && p - start < 16) n = n * 10 + (b[p++] - 0x30);
    if (p === start || p >= end || b[p] !== 0x65) return null;
    return { value: neg ? -n : n, next: p + 1 };
  }
  if (c >= 0x30 && c <= 0x39) {
    let p = o;
    let n = 0;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39 && p - o < 8) n = n * 10 + (b[p++] - 0x30);
    if (p >= end || b[p] !== 0x3a) return null;
    p++;
    if (p + n > end) return null;
    return { value: b.subarray(p, p + n), next: p + n };
  }
  if (c === 0x6c) {
    const list: BValue[] = [];
    let p = o + 1;
    while (p < end && b[p] !== 0x65) {
      const v = value(b, p, end, depth + 1, budget);
      if (v === null) return null;
      list.push(v.value);
      p = v.next;
    }
    if (p >= end) return null;
    return { value: list, next: p + 1 };
  }
  if (c === 0x64) {
    const dict: BDict = new Map();
    let p = o + 1;
    while (p < end && b[p] !== 0x65) {
      const k = value(b, p, end, depth + 1, budget);
      if (k === null || !(k.value instanceof Uint8Array)) return null;
      const v = value(b, k.next, end, depth + 1, budget);
      if (v === null) return null;
      dict.set(text(k.value), v.value);
      p = v.next;
    }
    if (p >= end) return null;
    return { value: dict, next: p + 1 };
  }
  return null;
}

/** A byte string's text, one character per byte (bounded: keys and names are short). */
function text(u: Uint8Array): string {
  return latin1(u, 0, Math.min(u.length, 512));
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

export function utf8(u: Uint8Array): string {
  return UTF8.decode(u.subarray(0, 128)).replace(/[\u0000-\u001f\u007f\ufffd]/g, '');
}

export function str(d: BDict, k: string): Uint8Array | null {
  const v = d.get(k);
  return v instanceof Uint8Array ? v : null;
}

export function dict(d: BDict, k: string): BDict | null {
  const v = d.get(k);
  return v instanceof Map ? v : null;
}

export interface ExtHandshake {
  /** "v": the client's own name and version. */
  client: string | null;
  /** "m": the extension messages it speaks (ut_metadata, ut_pex, …). */
  extensions: string[];
  /** "p": its listen port. */
  port: number | null;
}

/** BEP 10's extension handshake payload (the bencoded dictionary). */
export function parseExtHandshake(b: Uint8Array, o: number, len: number): ExtHandshake | null {
  const d = bdecode(b, o, o + len);
  if (d === null || !(d.value instanceof Map)) return null;
  const v = str(d.value, 'v');
  const m = dict(d.value, 'm');
  const p = d.value.get('p');
  return {
    client: v !== null && v.length > 0 ? utf8(v) : null,
    extensions: m !== null ? [...m.keys()].filter((k) => /^[\x21-\x7e]{1,40}$/.test(k)).slice(0, 16) : [],
    port: typeof p === 'number' && p > 0 && p < 65536 ? p : null,
  };
}

export interface Krpc {
  /** q (query), r (response) or e (error). */
  y: string;
  /** The query's method (ping, find_node, get_peers, announce_peer, …); '' for responses. */
  method: string;
  /** The info hash of get_peers and announce_peer, as hex. */
  infoHash: string | null;
  /** "v": the client code and version bytes (BEP 20), when sent. */
  client: Uint8Array | null;
  /** A response's peers ("values") and compact nodes, counted. */
  peers: number;
  nodes: number;
}

/** A DHT message: a whole datagram that is one bencoded dictionary with "t" and "y". */
export function parseKrpc(b: Uint8Array, o: number, len: number): Krpc | null {
  if (len < 12 || b[o] !== 0x64) return null;
  const d = bdecode(b, o, o + len);
  if (d === null || !(d.value instanceof Map) || d.next !== o + len) return null;
  const msg = d.value;
  const y = str(msg, 'y');
  const t = str(msg, 't');
  if (y === null || t === null || y.length !== 1) return null;
  const kind = String.fromCharCode(y[0]);
  if (kind !== 'q' && kind !== 'r' && kind !== 'e') return null;
  const q = kind === 'q' ? str(msg, 'q') : null;
  if (kind === 'q' && (q === null || q.length === 0 || q.length > 32)) return null;
  const a = dict(msg, kind === 'q' ? 'a' : 'r');
  let infoHash: string | null = null;
  let peers = 0;
  let nodes = 0;
  if (a !== null) {
    const ih = str(a, 'info_hash');
    if (ih !== null && ih.length === 20) infoHash = hex(ih, 0, 20);
    const values = a.get('values');
    if (Array.isArray(values)) peers = values.length;
    const n = str(a, 'nodes');
    if (n !== null) nodes = Math.floor(n.length / 26);
    const n6 = str(a, 'nodes6');
    if (n6 !== null) nodes += Math.floor(n6.length / 38);
  }
  const v = str(msg, 'v');
  return { y: kind, method: q !== null ? text(q).replace(/[^\x21-\x7e]/g, '?') : '', infoHash, client: v !== null && v.length >= 2 ? v.slice(0, 4) : null, peers, nodes };
}

export interface UtpHeader {
  /** 0 DATA, 1 FIN, 2 STATE, 3 RESET, 4 SYN. */
  type: number;
  connId: number;
  seq: number;
  ack: number;
  /** Where the payload begins (after the extensions). */
  payload: number;
}

export const UTP_TYPES = ['data', 'fin', 'state', 'reset', 'syn'];

/** uTP's header at `o`, its extension chain walked (at most 4), or null. */
export function parseUtp(b: Uint8Array, o: number, len: number): UtpHeader | null {
  if (len < UTP_HEADER) return null;
  const type = b[o] >> 4;
  if ((b[o] & 0x0f) !== 1 || type > 4) return null;
  let ext = b[o + 1];
  let p = o + UTP_HEADER;
  const end = o + len;
  for (let i = 0; ext !== 0; i++) {
    // Extension 1 is the selective ack (a bitmask, a multiple of 4 bytes); 2 the extension bits (8).
    if (i >= 4 || ext > 4 || p + 2 > end) return null;
    const next = b[p];
    const elen = b[p + 1];
    if (elen === 0 || (ext === 1 && elen % 4 !== 0) || (ext === 2 && elen !== 8) || p + 2 + elen > end) return null;
    p += 2 + elen;
    ext = next;
  }
  const connId = (b[o + 2] << 8) | b[o + 3];
  const seq = (b[o + 16] << 8) | b[o + 17];
  const ack = (b[o + 18] << 8) | b[o + 19];
  // A SYN has no payload; STATE and RESET carry none either.
  if ((type === 4 || type === 2 || type === 3) && p !== end) return null;
  return { type, connId, seq, ack, payload: p };
}

/** Whether a uTP DATA payload begins like peer-wire: the handshake or a message with a plausible length and id. */
export function looksLikePeerWire(b: Uint8Array, o: number, len: number): boolean {
  if (len >= 20 && isPstr(b, o, len)) return true;
  if (len < 5) return false;
  const n = ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
  const id = b[o + 4];
  return n >= 1 && n <= MAX_MESSAGE && id <= 20 && (id <= 9 || id >= 13);
}

export interface Lsd {
  port: number | null;
  infoHashes: string[];
}

const LSD_START = 'BT-SEARCH * HTTP/1.1\r\n';

/** A Local Service Discovery announcement (the whole datagram), or null. */
export function parseLsd(b: Uint8Array, o: number, len: number): Lsd | null {
  if (len < LSD_START.length || len > 4096) return null;
  for (let i = 0; i < LSD_START.length; i++) if (b[o + i] !== LSD_START.charCodeAt(i)) return null;
  const headers = latin1(b, o + LSD_START.length, o + Math.min(len, 512 + LSD_START.length));
  let port: number | null = null;
  const infoHashes: string[] = [];
  for (const line of headers.split('\r\n')) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const k = line.slice(0, c).trim().toLowerCase();
    const v = line.slice(c + 1).trim();
    if (k === 'port' && /^\d{1,5}$/.test(v) && Number(v) > 0 && Number(v) < 65536) port = Number(v);
    else if (k === 'infohash' && /^[0-9a-fA-F]{40}$/.test(v) && infoHashes.length < 8) infoHashes.push(v.toLowerCase());
  }
  return { port, infoHashes };
}

/** BEP 15's protocol id, the first 8 bytes of a connect request. */
const TRACKER_MAGIC = [0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80];

export interface TrackerRequest {
  action: 'connect' | 'announce' | 'scrape';
  infoHash: string | null;
  peerId: Uint8Array | null;
  /** announce: the client's listen port. */
  port: number | null;
}

/** A UDP tracker request (client to tracker): connect by its magic; announce and scrape by action and size. */
export function parseTrackerRequest(b: Uint8Array, o: number, len: number): TrackerRequest | null {
  if (len < 16) return null;
  const action = u32(b, o + 8);
  if (action === 0) {
    if (len !== 16) return null;
    for (let i = 0; i < 8; i++) if (b[o + i] !== TRACKER_MAGIC[i]) return null;
    return { action: 'connect', infoHash: null, peerId: null, port: null };
  }
  if (action === 1 && len >= 98) return { action: 'announce', infoHash: hex(b, o + 16, 20), peerId: b.slice(o + 36, o + 56), port: (b[o + 96] << 8) | b[o + 97] };
  if (action === 2 && len >= 36 && (len - 16) % 20 === 0) return { action: 'scrape', infoHash: hex(b, o + 16, 20), peerId: null, port: null };
  return null;
}

export function isTrackerConnect(b: Uint8Array, o: number, len: number): boolean {
  return len === 16 && parseTrackerRequest(b, o, len)?.action === 'connect';
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
}
