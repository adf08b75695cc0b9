// SOCKS handshake messages: SOCKS4 and the SOCKS4a host-name extension (the NEC/Koblas
// protocol documents), SOCKS5 (RFC 1928 §3–6) and its user name/password sub-negotiation
// (RFC 1929 §2). Pure functions: each reads one message at `off` and says how many bytes it
// took, 'need_more' or 'bad'. Passwords are located, never decoded.

export const SOCKS4 = 4;
export const SOCKS5 = 5;
const USERPASS_VERSION = 1;

export const ATYP_IPV4 = 1;
export const ATYP_DOMAIN = 3;
export const ATYP_IPV6 = 4;

export const METHOD_USERPASS = 2;
/** Request command CONNECT (SOCKS4 and 5), and the reply codes that grant it. */
export const CMD_CONNECT = 1;
export const V4_GRANTED = 90;
export const V5_SUCCEEDED = 0;
export const METHOD_NONE_ACCEPTABLE = 0xff;

/** Longest user id / host name kept; SOCKS4 strings are NUL-terminated and unbounded. */
export const MAX_NAME = 255;

export type Status = 'need_more' | 'bad';

export interface Greeting {
  methods: number[];
  consumed: number;
}

/** SOCKS5 version identifier/method selection message (RFC 1928 §3). */
export function parseGreeting(buf: Uint8Array, off: number, len: number): Greeting | Status {
  if (len < 2) return 'need_more';
  if (buf[off] !== SOCKS5) return 'bad';
  const n = buf[off + 1];
  if (n === 0) return 'bad';
  if (len < 2 + n) return 'need_more';
  return { methods: Array.from(buf.subarray(off + 2, off + 2 + n)), consumed: 2 + n };
}

/** The server's METHOD selection: [5, method]. */
export function parseMethodChoice(buf: Uint8Array, off: number, len: number): { method: number; consumed: number } | Status {
  if (len < 2) return 'need_more';
  if (buf[off] !== SOCKS5) return 'bad';
  return { method: buf[off + 1], consumed: 2 };
}

export interface UserPass {
  user: string;
  /** [offset, length] of the password in `buf`: digest it at once, never keep it. */
  passwordAt: [number, number];
  consumed: number;
}

/** RFC 1929 request: VER=1, ULEN, UNAME, PLEN, PASSWD. */
export function parseUserPass(buf: Uint8Array, off: number, len: number): UserPass | Status {
  if (len < 2) return 'need_more';
  if (buf[off] !== USERPASS_VERSION) return 'bad';
  const ul = buf[off + 1];
  if (len < 3 + ul) return 'need_more';
  const pl = buf[off + 2 + ul];
  if (len < 3 + ul + pl) return 'need_more';
  return { user: text(buf, off + 2, ul), passwordAt: [off + 3 + ul, pl], consumed: 3 + ul + pl };
}

/** RFC 1929 reply: VER=1, STATUS (0 = success). */
export function parseUserPassReply(buf: Uint8Array, off: number, len: number): { status: number; consumed: number } | Status {
  if (len < 2) return 'need_more';
  if (buf[off] !== USERPASS_VERSION) return 'bad';
  return { status: buf[off + 1], consumed: 2 };
}

export interface Address {
  /** Dotted IPv4 or IPv6 text when the address was numeric. */
  host?: string;
  /** Domain name (SOCKS5 ATYP 3, SOCKS4a host). */
  name?: string;
  port: number;
}

export interface Request extends Address {
  version: number;
  /** 1 CONNECT, 2 BIND, 3 UDP ASSOCIATE. */
  command: number;
  /** SOCKS4 user id (not a secret: identd-style). */
  user?: string;
  consumed: number;
}

export interface Reply extends Address {
  version: number;
  code: number;
  consumed: number;
}

/** SOCKS5 request (RFC 1928 §4) or reply (§6): VER, CMD/REP, RSV, ATYP, ADDR, PORT. */
export function parseV5(buf: Uint8Array, off: number, len: number, isReply: boolean): Request | Reply | Status {
  if (len < 5) return 'need_more';
  if (buf[off] !== SOCKS5 || buf[off + 2] !== 0) return 'bad';
  const code = buf[off + 1];
  if (!isReply && (code < 1 || code > 3)) return 'bad';
  const atyp = buf[off + 3];
  let p = off + 4;
  const a: Address = { port: 0 };
  if (atyp === ATYP_IPV4) {
    if (len < 10) return 'need_more';
    a.host = `${buf[p]}.${buf[p + 1]}.${buf[p + 2]}.${buf[p + 3]}`;
    p += 4;
  } else if (atyp === ATYP_IPV6) {
    if (len < 22) return 'need_more';
    a.host = ipv6(buf, p);
    p += 16;
  } else if (atyp === ATYP_DOMAIN) {
    const n = buf[p];
    if (len < 7 + n) return 'need_more';
    a.name = text(buf, p + 1, n);
    p += 1 + n;
  } else return 'bad';
  a.port = (buf[p] << 8) | buf[p + 1];
  const consumed = p + 2 - off;
  return isReply ? { version: SOCKS5, code, ...a, consumed } : { version: SOCKS5, command: code, ...a, consumed };
}

/** SOCKS4/4a request: VN=4, CD, DSTPORT, DSTIP, USERID NUL [HOST NUL when DSTIP is 0.0.0.x]. */
export function parseV4Request(buf: Uint8Array, off: number, len: number): Request | Status {
  if (len < 9) return 'need_more';
  if (buf[off] !== SOCKS4) return 'bad';
  const command = buf[off + 1];
  if (command !== 1 && command !== 2) return 'bad';
  const port = (buf[off + 2] << 8) | buf[off + 3];
  const ip = [buf[off + 4], buf[off + 5], buf[off + 6], buf[off + 7]];
  const u = nulString(buf, off + 8, off + len);
  if (typeof u === 'string') return u;
  const r: Request = { version: SOCKS4, command, port, user: u.s, consumed: u.next - off };
  if (ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0) {
    const h = nulString(buf, u.next, off + len);
    if (typeof h === 'string') return h;
    r.name = h.s;
    r.consumed = h.next - off;
  } else r.host = ip.join('.');
  return r;
}

/** SOCKS4 reply: VN=0, CD (90 granted … 93), DSTPORT, DSTIP. */
export function parseV4Reply(buf: Uint8Array, off: number, len: number): Reply | Status {
  if (len < 8) return 'need_more';
  if (buf[off] !== 0) return 'bad';
  return {
    version: SOCKS4,
    code: buf[off + 1],
    port: (buf[off + 2] << 8) | buf[off + 3],
    host: `${buf[off + 4]}.${buf[off + 5]}.${buf[off + 6]}.${buf[off + 7]}`,
    consumed: 8,
  };
}

function nulString(buf: Uint8Array, p: number, end: number): { s: string; next: number } | Status {
  const stop = Math.min(end, p + MAX_NAME + 1);
  for (let i = p; i < stop; i++) if (buf[i] === 0) return { s: text(buf, p, i - p), next: i + 1 };
  return end - p > MAX_NAME ? 'bad' : 'need_more';
}

function text(buf: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = p; i < p + Math.min(n, MAX_NAME); i++) {
    const c = buf[i];
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s;
}

function ipv6(buf: Uint8Array, p: number): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((buf[p + i] << 8) | buf[p + i + 1]).toString(16));
  // Compress the longest run of zero groups (RFC 5952 §4.2).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

/** Zeek's names (base/protocols/socks/consts.zeek). */
export const V5_AUTH_METHODS: Record<number, string> = {
  0: 'No Authentication Required',
  1: 'GSSAPI',
  2: 'Username/Password',
  3: 'Challenge-Handshake Authentication Protocol',
  5: 'Challenge-Response Authentication Method',
  6: 'Secure Sockets Layer',
  7: 'NDS Authentication',
  8: 'Multi-Authentication Framework',
  255: 'No Acceptable Methods',
};

const V4_STATUS: Record<number, string> = {
  0x5a: 'succeeded',
  0x5b: 'general SOCKS server failure',
  0x5c: 'request failed because client is not running identd',
  0x5d: "request failed because client's identd could not confirm the user ID string in the request",
};

const V5_STATUS = ['succeeded', 'general SOCKS server failure', 'connection not allowed by ruleset', 'Network unreachable', 'Host unreachable', 'Connection refused', 'TTL expired', 'Command not supported', 'Address type not supported'];

export function statusText(version: number, code: number): string {
  const s = version === SOCKS4 ? V4_STATUS[code] : V5_STATUS[code];
  return s ?? `unknown-${code}`;
}
