// SLP, the Service Location Protocol, on UDP and TCP 427: version 2 (RFC 2608 §8 header, §8–§11
// messages, §4.3 URL entries, §5 attribute lists, §9.2 authentication blocks) and version 1
// (RFC 2165 §7 header, §7.1–§10 messages). Pure functions over (buffer, offset, length): a
// message's header and the fields of its body, every length checked against the message.

export const SLP_PORT = 427;
/** version, function, length (3), flags (2), next extension offset (3), XID (2), language tag length (2). */
export const V2_HEADER_LEN = 14;
/** version, function, length (2), flags, dialect, language code (2), character encoding (2), XID (2). */
export const V1_HEADER_LEN = 12;

export const FN_SRVRQST = 1;
export const FN_SRVRPLY = 2;
export const FN_SRVREG = 3;
export const FN_SRVDEREG = 4;
export const FN_SRVACK = 5;
export const FN_ATTRRQST = 6;
export const FN_ATTRRPLY = 7;
export const FN_DAADVERT = 8;
export const FN_SRVTYPERQST = 9;
export const FN_SRVTYPERPLY = 10;
export const FN_SAADVERT = 11;

/** Function names as RFC 2608 §8 writes them (version 1 uses the same ids, without SAAdvert). */
export const FUNCTIONS: Readonly<Record<number, string>> = {
  1: 'SrvRqst',
  2: 'SrvRply',
  3: 'SrvReg',
  4: 'SrvDeReg',
  5: 'SrvAck',
  6: 'AttrRqst',
  7: 'AttrRply',
  8: 'DAAdvert',
  9: 'SrvTypeRqst',
  10: 'SrvTypeRply',
  11: 'SAAdvert',
};

/** Version 2 flags (RFC 2608 §8): overflow, fresh registration, request multicast. */
const V2_OVERFLOW = 0x8000;
const V2_FRESH = 0x4000;
const V2_MCAST = 0x2000;
/** Version 1 flags (RFC 2165 §7): overflow, monolingual, URL authentication, attribute authentication, fresh. */
const V1_OVERFLOW = 0x80;
const V1_URL_AUTH = 0x20;
const V1_ATTR_AUTH = 0x10;
const V1_FRESH = 0x08;
/** A naming authority length of 0xFFFF asks for the types of every naming authority. */
const ALL_AUTHORITIES = 0xffff;
/** RFC 2165 §7: character encoding 1000 is ISO-10646-UCS-2 (big-endian). */
const V1_UCS2 = 1000;

export const MAX_URLS = 16;
export const MAX_SERVICE_TYPES = 32;
export const MAX_ATTRS = 32;
/** Characters kept of a string field (URL, scope list, predicate …); attribute lists are read up to MAX_ATTR_LIST. */
export const MAX_STRING = 512;
const MAX_ATTR_LIST = 4096;
const MAX_ATTR_VALUE = 256;
const MAX_AUTH_BLOCKS = 8;

export interface SlpHeader {
  version: 1 | 2;
  fn: number;
  /** The stated message length, header included. */
  length: number;
  flags: number;
  xid: number;
  lang: string;
  /** Version 1 character encoding (IANA MIBenum). */
  encoding: number;
  /** Where the body starts, from the message's first byte. */
  bodyOff: number;
}

export interface SlpMessage extends SlpHeader {
  function: string;
  overflow: boolean;
  fresh: boolean;
  /** Version 2's R flag: the request was multicast. */
  multicast: boolean;
  prlist?: string;
  service_type?: string;
  scopes?: string;
  predicate?: string;
  spi?: string;
  /** SrvTypeRqst: the naming authority asked for, '*' for all. */
  naming_authority?: string;
  /** AttrRqst: the URL (or service type) whose attributes are asked for. */
  url?: string;
  /** URL entries of SrvRply, SrvReg, SrvDeReg; DAAdvert's and SAAdvert's URL (lifetime 0). */
  urls: { url: string; lifetime: number }[];
  /** SrvRply's stated URL count (more than MAX_URLS are counted, not read). */
  url_count?: number;
  service_types: string[];
  attr_list?: string;
  tags?: string;
  error?: number;
  /** A weird name when the body ran past the stated length or a field was malformed. */
  damage?: string;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function u24(b: Uint8Array, i: number): number {
  return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

const UTF8 = new TextDecoder('utf-8');
const UTF16BE = new TextDecoder('utf-16be');

/**
 * The header at `off`, or the weird name of what is wrong with it. The stated length must fit
 * in `len` (a message that runs past its datagram or segment run is `length_past_data`).
 */
export function parseHeader(b: Uint8Array, off: number, len: number): SlpHeader | string {
  if (len < 4) return 'truncated_header';
  const version = b[off];
  const fn = b[off + 1];
  if (version === 2) {
    if (len < V2_HEADER_LEN) return 'truncated_header';
    if (fn < FN_SRVRQST || fn > FN_SAADVERT) return 'unknown_function';
    const length = u24(b, off + 2);
    const langLen = u16(b, off + 12);
    if (length < V2_HEADER_LEN + langLen) return 'bad_length';
    if (length > len) return 'length_past_data';
    return {
      version: 2,
      fn,
      length,
      flags: u16(b, off + 5),
      xid: u16(b, off + 10),
      lang: latin1(b, off + V2_HEADER_LEN, off + V2_HEADER_LEN + langLen),
      encoding: 0,
      bodyOff: V2_HEADER_LEN + langLen,
    };
  }
  if (version === 1) {
    if (len < V1_HEADER_LEN) return 'truncated_header';
    if (fn < FN_SRVRQST || fn > FN_SRVTYPERPLY) return 'unknown_function';
    const length = u16(b, off + 2);
    if (length < V1_HEADER_LEN) return 'bad_length';
    if (length > len) return 'length_past_data';
    return { version: 1, fn, length, flags: b[off + 4], xid: u16(b, off + 10), lang: latin1(b, off + 6, off + 8), encoding: u16(b, off + 8), bodyOff: V1_HEADER_LEN };
  }
  return 'bad_version';
}

/** Version 1 character encodings (IANA MIBenum, RFC 2165 §7): US-ASCII, ISO-8859-1, UTF-8, UCS-2, UCS-4. */
const V1_ENCODINGS = new Set([3, 4, 106, 1000, 1001]);
const LANG_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * What a header must hold beyond its lengths to be taken for SLP off port 427: a language tag
 * (version 2) or two-letter language code, dialect 0 and a known character encoding (version
 * 1), and a next-extension offset inside the message. RADIUS shares version 1's first four
 * bytes (code, identifier, datagram length), so these decide.
 */
export function plausibleHeader(h: SlpHeader, b: Uint8Array, off: number): boolean {
  if (!LANG_TAG.test(h.lang)) return false;
  if (h.version === 1) return b[off + 5] === 0 && h.lang.length === 2 && V1_ENCODINGS.has(h.encoding);
  const next = u24(b, off + 7);
  return next === 0 || (next >= h.bodyOff && next < h.length);
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to && i - from < 64; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** A bounded cursor over one message's body: a read past the end sets `bad` and yields nothing. */
class Body {
  bad = false;
  constructor(
    readonly b: Uint8Array,
    public p: number,
    readonly end: number,
    readonly ucs2: boolean,
  ) {}

  get left(): number {
    return this.end - this.p;
  }

  u8(): number {
    if (this.p + 1 > this.end) return this.fail();
    return this.b[this.p++];
  }

  u16(): number {
    if (this.p + 2 > this.end) return this.fail();
    const v = u16(this.b, this.p);
    this.p += 2;
    return v;
  }

  skip(n: number): void {
    if (this.p + n > this.end) this.fail();
    else this.p += n;
  }

  /** A string with a 2-byte length; at most `max` characters kept. */
  str(max = MAX_STRING): string {
    const n = this.u16();
    return this.bad ? '' : this.text(n, max);
  }

  text(n: number, max: number): string {
    if (this.p + n > this.end) {
      this.fail();
      return '';
    }
    const keep = Math.min(n, this.ucs2 ? max * 2 : max * 4);
    const s = (this.ucs2 ? UTF16BE : UTF8).decode(this.b.subarray(this.p, this.p + keep));
    this.p += n;
    return s.length > max ? s.slice(0, max) : s;
  }

  private fail(): number {
    this.bad = true;
    this.p = this.end;
    return 0;
  }
}

/** The message at `off` (header and body), or the weird name of a header that cannot be read. */
export function parseMessage(b: Uint8Array, off: number, len: number): SlpMessage | string {
  const h = parseHeader(b, off, len);
  if (typeof h === 'string') return h;
  const v2 = h.version === 2;
  const m: SlpMessage = {
    ...h,
    function: FUNCTIONS[h.fn],
    overflow: (h.flags & (v2 ? V2_OVERFLOW : V1_OVERFLOW)) !== 0,
    fresh: (h.flags & (v2 ? V2_FRESH : V1_FRESH)) !== 0,
    multicast: v2 && (h.flags & V2_MCAST) !== 0,
    urls: [],
    service_types: [],
  };
  const r = new Body(b, off + h.bodyOff, off + h.length, !v2 && h.encoding === V1_UCS2);
  if (v2) body2(r, m);
  else body1(r, m);
  if (r.bad) m.damage = m.damage ?? 'truncated_body';
  return m;
}

/** An error reply may end after its error code (RFC 2608 §7). */
function errorOnly(r: Body, m: SlpMessage): boolean {
  m.error = r.u16();
  return m.error !== 0 && r.left === 0;
}

/** Version 2 authentication blocks (§9.2): BSD (2), length of the whole block (2), the rest skipped. */
function auths2(r: Body, m: SlpMessage): void {
  const n = r.u8();
  for (let i = 0; i < n && !r.bad; i++) {
    if (i >= MAX_AUTH_BLOCKS) {
      m.damage = 'too_many_auth_blocks';
      r.skip(r.left);
      return;
    }
    r.u16();
    const blen = r.u16();
    if (blen < 4) {
      m.damage = 'bad_auth_block';
      r.skip(r.left);
      return;
    }
    r.skip(blen - 4);
  }
}

/** A version 2 URL entry (§4.3): reserved, lifetime, URL, authentication blocks. */
function urlEntry2(r: Body, m: SlpMessage, keep: boolean): void {
  r.u8();
  const lifetime = r.u16();
  const url = r.str();
  auths2(r, m);
  if (!r.bad && keep) m.urls.push({ url, lifetime });
}

function body2(r: Body, m: SlpMessage): void {
  switch (m.fn) {
    case FN_SRVRQST:
      m.prlist = r.str();
      m.service_type = r.str();
      m.scopes = r.str();
      m.predicate = r.str();
      m.spi = r.str();
      return;
    case FN_SRVRPLY: {
      if (errorOnly(r, m)) return;
      const n = r.u16();
      m.url_count = n;
      for (let i = 0; i < n && !r.bad; i++) urlEntry2(r, m, i < MAX_URLS);
      return;
    }
    case FN_SRVREG:
      urlEntry2(r, m, true);
      m.service_type = r.str();
      m.scopes = r.str();
      m.attr_list = r.str(MAX_ATTR_LIST);
      auths2(r, m);
      return;
    case FN_SRVDEREG:
      m.scopes = r.str();
      urlEntry2(r, m, true);
      m.tags = r.str();
      return;
    case FN_SRVACK:
      m.error = r.u16();
      return;
    case FN_ATTRRQST:
      m.prlist = r.str();
      m.url = r.str();
      m.scopes = r.str();
      m.tags = r.str();
      m.spi = r.str();
      return;
    case FN_ATTRRPLY:
      if (errorOnly(r, m)) return;
      m.attr_list = r.str(MAX_ATTR_LIST);
      auths2(r, m);
      return;
    case FN_DAADVERT: {
      if (errorOnly(r, m)) return;
      // The DA's stateless boot timestamp.
      r.skip(4);
      const url = r.str();
      if (!r.bad) m.urls.push({ url, lifetime: 0 });
      m.scopes = r.str();
      m.attr_list = r.str(MAX_ATTR_LIST);
      m.spi = r.str();
      auths2(r, m);
      return;
    }
    case FN_SRVTYPERQST:
      m.prlist = r.str();
      namingAuthority(r, m);
      m.scopes = r.str();
      return;
    case FN_SRVTYPERPLY:
      if (errorOnly(r, m)) return;
      m.service_types = splitList(r.str(MAX_ATTR_LIST), MAX_SERVICE_TYPES);
      return;
    case FN_SAADVERT: {
      const url = r.str();
      if (!r.bad) m.urls.push({ url, lifetime: 0 });
      m.scopes = r.str();
      m.attr_list = r.str(MAX_ATTR_LIST);
      auths2(r, m);
      return;
    }
  }
}

function namingAuthority(r: Body, m: SlpMessage): void {
  const n = r.u16();
  if (r.bad) return;
  m.naming_authority = n === ALL_AUTHORITIES ? '*' : r.text(n, MAX_STRING);
}

/** A version 1 authentication block (RFC 2165 §9.2): timestamp (8), BSD (2), authenticator length (2) and authenticator. */
function auth1(r: Body): void {
  r.skip(10);
  const n = r.u16();
  r.skip(n);
}

/** A version 1 URL entry (§7.1): lifetime, URL, an authentication block when the U flag is set. */
function urlEntry1(r: Body, m: SlpMessage, keep: boolean): void {
  const lifetime = r.u16();
  const url = r.str();
  if ((m.flags & V1_URL_AUTH) !== 0) auth1(r);
  if (!r.bad && keep) m.urls.push({ url, lifetime });
}

function body1(r: Body, m: SlpMessage): void {
  switch (m.fn) {
    case FN_SRVRQST: {
      m.prlist = r.str();
      // "<service type>/<scope>/<where clause>/" (§8.1).
      const p = r.str();
      const a = p.indexOf('/');
      if (a < 0) {
        m.predicate = p;
        return;
      }
      m.service_type = p.slice(0, a);
      const s = p.indexOf('/', a + 1);
      m.scopes = s < 0 ? p.slice(a + 1) : p.slice(a + 1, s);
      if (s >= 0) m.predicate = p.slice(s + 1).replace(/\/$/, '');
      return;
    }
    case FN_SRVRPLY: {
      if (errorOnly(r, m)) return;
      const n = r.u16();
      m.url_count = n;
      for (let i = 0; i < n && !r.bad; i++) urlEntry1(r, m, i < MAX_URLS);
      return;
    }
    case FN_SRVREG:
      urlEntry1(r, m, true);
      m.attr_list = r.str(MAX_ATTR_LIST);
      if ((m.flags & V1_ATTR_AUTH) !== 0) auth1(r);
      return;
    case FN_SRVDEREG: {
      const url = r.str();
      if ((m.flags & V1_URL_AUTH) !== 0) auth1(r);
      if (!r.bad) m.urls.push({ url, lifetime: 0 });
      m.tags = r.str();
      return;
    }
    case FN_SRVACK:
      m.error = r.u16();
      return;
    case FN_ATTRRQST:
      m.prlist = r.str();
      m.url = r.str();
      m.scopes = r.str();
      m.tags = r.str();
      return;
    case FN_ATTRRPLY:
      if (errorOnly(r, m)) return;
      m.attr_list = r.str(MAX_ATTR_LIST);
      if ((m.flags & V1_ATTR_AUTH) !== 0) auth1(r);
      return;
    case FN_DAADVERT: {
      if (errorOnly(r, m)) return;
      const url = r.str();
      if (!r.bad) m.urls.push({ url, lifetime: 0 });
      m.scopes = r.str();
      return;
    }
    case FN_SRVTYPERQST:
      m.prlist = r.str();
      namingAuthority(r, m);
      m.scopes = r.str();
      return;
    case FN_SRVTYPERPLY: {
      if (errorOnly(r, m)) return;
      const n = r.u16();
      for (let i = 0; i < n && !r.bad; i++) {
        const t = r.str();
        if (!r.bad && m.service_types.length < MAX_SERVICE_TYPES) m.service_types.push(t);
      }
      return;
    }
  }
}

function splitList(s: string, max: number): string[] {
  const out: string[] = [];
  for (const x of s.split(',')) {
    const t = x.trim();
    if (t !== '' && out.length < max) out.push(t);
  }
  return out;
}

/**
 * The attributes of an attribute list (RFC 2608 §5): `(tag=value,value),keyword,(tag=value)`.
 * Some agents leave out the commas between parenthesised attributes (HP's printers write
 * `(x-hp-ver=01)(x-hp-prod_id=…)`): both forms are read. Values keep their escapes (`\2c`) undone.
 */
export function parseAttributes(list: string): { tag: string; value?: string }[] {
  const out: { tag: string; value?: string }[] = [];
  const n = Math.min(list.length, MAX_ATTR_LIST);
  let i = 0;
  while (i < n && out.length < MAX_ATTRS) {
    const ch = list[i];
    if (ch === ',' || ch === ' ') {
      i++;
      continue;
    }
    if (ch === '(') {
      let j = list.indexOf(')', i + 1);
      if (j < 0 || j > n) j = n;
      const body = list.slice(i + 1, j);
      const eq = body.indexOf('=');
      if (eq < 0) out.push({ tag: body.trim() });
      else out.push({ tag: body.slice(0, eq).trim(), value: unescapeValue(body.slice(eq + 1)).slice(0, MAX_ATTR_VALUE) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && list[j] !== ',' && list[j] !== '(') j++;
    const kw = list.slice(i, j).trim();
    if (kw !== '') out.push({ tag: kw });
    i = j;
  }
  return out.filter((a) => a.tag !== '');
}

function unescapeValue(v: string): string {
  return v.replace(/\\([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The host of a service URL (`service:printer:lpr://host:515/queue`, `service:wbem:https://[::1]:5989`), lower-cased, or ''. */
export function urlHost(url: string): string {
  const s = url.indexOf('://');
  if (s < 0) return '';
  let rest = url.slice(s + 3);
  const at = rest.lastIndexOf('@', rest.search(/[/?;]|$/));
  if (at >= 0) rest = rest.slice(at + 1);
  if (rest.startsWith('[')) {
    const e = rest.indexOf(']');
    return e < 0 ? '' : rest.slice(1, e).toLowerCase();
  }
  const m = /^[^:/;?]*/.exec(rest);
  return m === null ? '' : m[0].toLowerCase();
}

/** The service type a URL names: `service:printer:lpr` of `service:printer:lpr://…`, or the scheme of a plain URL. */
export function urlServiceType(url: string): string {
  const s = url.indexOf('://');
  return s < 0 ? url : url.slice(0, s);
}

/**
 * Attributes whose values say what the agent is, kept in slp.log and the inventory: ESXi's
 * `product` ("VMware ESXi 6.7.0 build-17167734", what Nmap's vmware-svrloc-vulns reads), a
 * generic `version` and `hardware`, the printer template's make-and-model and name, WBEM's
 * human-readable service name, and HP's printer attributes (product id, host name, IEEE 1284
 * device id). Every other value is dropped: attribute lists can carry anything.
 */
export const IDENTITY_ATTRS: ReadonlySet<string> = new Set([
  'product',
  'version',
  'hardware',
  'printer-make-and-model',
  'printer-name',
  'service-hi-name',
  'x-hp-prod_id',
  'x-hp-hn',
  'x-hp-p1',
]);

/**
 * The URLs of a message that describe its sender: a directory agent answers with other agents'
 * URLs, so a URL counts only when its host is the sender's own address, or when every URL of the
 * message names the same host name (one agent's services).
 */
export function ownUrls(urls: readonly string[], senderIp: string | null): string[] {
  const hosts = urls.map(urlHost);
  const names = new Set(hosts.filter((h) => h !== '' && !/^[\d.]+$/.test(h) && !h.includes(':')));
  const out: string[] = [];
  for (let i = 0; i < urls.length; i++) if ((senderIp !== null && hosts[i] === senderIp.toLowerCase()) || (names.size === 1 && names.has(hosts[i]))) out.push(urls[i]);
  return out;
}
