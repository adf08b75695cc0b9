// RTSP message framing, pure functions: RTSP/1.0 (RFC 2326 §6 request line, §7 status line,
// §10 methods, §10.12 interleaved binary data) and RTSP/2.0 (RFC 7826 §8, §13, §14). RTSP reuses
// HTTP's field syntax and authentication (RFC 2326 §4, RFC 7826 §19), so header fields,
// Content-Length and Authorization are read with the HTTP analyzer's helpers; only what differs
// is here. Nothing keeps state or throws: malformed input gives null.
import { percentDecode } from '../textproto.js';
import type { RequestLine, StatusLine } from '../http/parse.js';

/** Longest start or field line accepted (RFC 7826 sets no limit; real ones are short). */
export const MAX_LINE = 8 * 1024;

/** The '$' that starts an interleaved binary frame on the RTSP connection (RFC 2326 §10.12). */
export const INTERLEAVED_MAGIC = 0x24;
/** '$', one channel byte and a 16-bit big-endian length. */
export const INTERLEAVED_HEADER = 4;

/** Methods of RFC 2326 §10 and RFC 7826 §13 (PLAY_NOTIFY is 2.0's). */
export const METHODS = [
  'OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER',
  'SET_PARAMETER', 'REDIRECT', 'RECORD', 'PLAY_NOTIFY',
];

// Start lines have HTTP's shape (RFC 2326 §6.1, §7.1); the version is RTSP's ("1.0", "2.0").
export type { RequestLine, StatusLine };

// RFC 2326 §6.1: Method SP Request-URI SP RTSP-Version; extension methods are tokens. The version
// is required: without it the line is HTTP or SIP, not RTSP.
const REQUEST_RE = /^([A-Za-z][A-Za-z0-9_.!#$%&'*+^`|~-]{0,31})[ \t]+(\S+)[ \t]+RTSP\/(\d\.\d)[ \t]*$/;
const STATUS_RE = /^RTSP\/(\d\.\d)[ \t]+(\d{3})(?:[ \t]+(.*?))?[ \t]*$/;

export function parseRequestLine(line: string): RequestLine | null {
  const m = REQUEST_RE.exec(line);
  return m === null ? null : { method: m[1], uri: m[2], version: m[3] };
}

export function parseStatusLine(line: string): StatusLine | null {
  const m = STATUS_RE.exec(line);
  return m === null ? null : { version: m[1], code: Number(m[2]), msg: m[3] ?? '' };
}

/** Channel and payload length of an interleaved frame header at `off`, or null if fewer than 4 bytes are there. */
export function parseInterleaved(buf: Uint8Array, off: number, len: number): { channel: number; length: number } | null {
  if (len < INTERLEAVED_HEADER || buf[off] !== INTERLEAVED_MAGIC) return null;
  return { channel: buf[off + 1], length: (buf[off + 2] << 8) | buf[off + 3] };
}

export interface UriCredentials {
  /** The URI with any userinfo removed. */
  uri: string;
  user?: string;
  /** The password as sent (percent-decoded), to be digested by the caller and dropped. */
  password?: string;
}

// rtsp://, rtsps://, rtspu:// (RFC 2326 §3.2) and rtsp:// of RFC 7826 §4.2: scheme "://" userinfo "@" host.
const USERINFO_RE = /^(rtsp[su]?:\/\/)([^/?#@]*)@/i;

/**
 * Splits RFC 3986 §3.2.1 userinfo ("user:password@") out of an rtsp URI. Cameras take
 * credentials this way, and clients send them on the wire in every request line.
 */
export function stripUserinfo(uri: string): UriCredentials {
  const m = USERINFO_RE.exec(uri);
  if (m === null) return { uri };
  const out: UriCredentials = { uri: m[1] + uri.slice(m[0].length) };
  const info = m[2];
  const colon = info.indexOf(':');
  out.user = percentDecode(colon < 0 ? info : info.slice(0, colon));
  if (colon >= 0) out.password = percentDecode(info.slice(colon + 1));
  return out;
}

/** The session identifier of a Session value without its parameters (RFC 2326 §12.37). */
export function sessionId(v: string): string {
  return v.split(';')[0].trim();
}

/** One transport specification of a Transport header (RFC 2326 §12.39, RFC 7826 §18.54). */
export interface TransportSpec {
  /** RTP/AVP, RTP/SAVP … (the lower transport removed). */
  profile: string;
  /** Media over TCP: interleaved on the RTSP connection, or a separate TCP flow. */
  tcp: boolean;
  /** The client's RTP and RTCP ports (client_port=a-b), -1 when absent. */
  clientPort: number;
  clientRtcp: number;
  /** The server's (server_port=c-d). */
  serverPort: number;
  serverRtcp: number;
  /** A multicast group's ports (port=a-b) with `destination`. */
  port: number;
  portRtcp: number;
  destination?: string;
  source?: string;
}

/** Transport specifications offered or chosen, at most 8 (a client may offer several, RFC 2326 §12.39). */
export function parseTransport(value: string): TransportSpec[] {
  const out: TransportSpec[] = [];
  for (const spec of value.split(',').slice(0, 8)) {
    const parts = spec.trim().split(';');
    const m = /^(RTP\/S?AVPF?)(?:\/(TCP|UDP))?$/i.exec(parts[0].trim());
    if (m === null) continue;
    const t: TransportSpec = { profile: m[1].toUpperCase(), tcp: (m[2] ?? '').toUpperCase() === 'TCP', clientPort: -1, clientRtcp: -1, serverPort: -1, serverRtcp: -1, port: -1, portRtcp: -1 };
    for (const p of parts.slice(1, 32)) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim();
      if (k === 'client_port' || k === 'server_port' || k === 'port') {
        const r = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(v);
        if (r === null || Number(r[1]) > 65535 || (r[2] !== undefined && Number(r[2]) > 65535)) continue;
        const a = Number(r[1]);
        const b = r[2] === undefined ? -1 : Number(r[2]);
        if (k === 'client_port') [t.clientPort, t.clientRtcp] = [a, b];
        else if (k === 'server_port') [t.serverPort, t.serverRtcp] = [a, b];
        else [t.port, t.portRtcp] = [a, b];
      } else if (k === 'destination' && v.length <= 64) t.destination = v.replace(/^"|"$/g, '');
      else if (k === 'source' && v.length <= 64) t.source = v.replace(/^"|"$/g, '');
    }
    out.push(t);
  }
  return out;
}
