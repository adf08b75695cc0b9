// OPC UA binary protocol parser (OPC 10000-6 §7.1 UA Connection Protocol message header, Hello,
// Acknowledge, Error, ReverseHello; §6.7.2 secure conversation headers; §5.2 binary encoding of
// built-in types; OPC 10000-4 §5.4–§5.6 discovery, secure channel and session services).
// Pure functions from bytes to fields or a status; every read is bounds-checked by one reader,
// which turns short input into `ok = false` rather than an exception. Bodies are decoded only as
// far as the bytes go: the first chunk of a long GetEndpoints answer still names the server.
import {
  ACTIVATE_SESSION_REQUEST,
  APPLICATION_TYPES,
  ACTIVATE_SESSION_RESPONSE,
  CREATE_SESSION_REQUEST,
  CREATE_SESSION_RESPONSE,
  FIND_SERVERS_RESPONSE,
  GET_ENDPOINTS_RESPONSE,
  IDENTITY_TOKENS,
  OPEN_SECURE_CHANNEL_REQUEST,
  OPEN_SECURE_CHANNEL_RESPONSE,
  SECURITY_MODES,
  SERVICE_FAULT,
  SERVICE_NAMES,
  USERNAME_IDENTITY_TOKEN,
} from './names.js';

export const HEADER_LEN = 8;
/** Chunks larger than this are not OPC UA (stacks negotiate buffers of 8 KiB to a few MiB). */
export const MAX_CHUNK = 16 * 1024 * 1024;
/** Characters kept of a string (URIs, names). */
export const MAX_STRING = 512;
/** Elements of an array walked (endpoints, servers, skipped lists). */
const MAX_ARRAY = 64;
/** Nesting of DiagnosticInfo walked. */
const MAX_DIAG_DEPTH = 4;

export type MessageType = 'HEL' | 'ACK' | 'ERR' | 'RHE' | 'OPN' | 'CLO' | 'MSG';
const TYPES: ReadonlySet<string> = new Set(['HEL', 'ACK', 'ERR', 'RHE', 'OPN', 'CLO', 'MSG']);
/** F final, C intermediate, A abort (§6.7.2.2). */
const CHUNKS: ReadonlySet<string> = new Set(['F', 'C', 'A']);

export type ParseStatus = 'need_more' | 'bad';

export interface Header {
  type: MessageType;
  chunk: 'F' | 'C' | 'A';
  size: number;
}

/** The 8-byte message header at `off`: type, chunk type and size (header included). */
export function parseHeader(buf: Uint8Array, off: number, len: number): Header | ParseStatus {
  const n = Math.min(len, HEADER_LEN);
  for (let i = 0; i < Math.min(n, 3); i++) if (buf[off + i] < 0x41 || buf[off + i] > 0x5a) return 'bad';
  if (n >= 4 && !CHUNKS.has(String.fromCharCode(buf[off + 3]))) return 'bad';
  if (n < HEADER_LEN) return 'need_more';
  const type = String.fromCharCode(buf[off], buf[off + 1], buf[off + 2]);
  if (!TYPES.has(type)) return 'bad';
  const chunk = String.fromCharCode(buf[off + 3]) as Header['chunk'];
  // Connection-protocol messages are never split into chunks.
  if (chunk !== 'F' && type !== 'MSG' && type !== 'CLO') return 'bad';
  const size = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
  if (size < HEADER_LEN || size > MAX_CHUNK) return 'bad';
  return { type: type as MessageType, chunk, size };
}

/** One bounds-checked cursor over a message; reads past the end yield zero values and clear `ok`. */
export class Reader {
  ok = true;
  private static readonly dec = new TextDecoder('utf-8');
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  private need(n: number): boolean {
    if (!this.ok || n < 0 || this.pos + n > this.end) {
      this.ok = false;
      return false;
    }
    return true;
  }

  u8(): number {
    if (!this.need(1)) return 0;
    return this.buf[this.pos++];
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const b = this.buf;
    const v = b[this.pos] | (b[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  i32(): number {
    return this.u32() | 0;
  }

  skip(n: number): void {
    if (this.need(n)) this.pos += n;
  }

  /** String (§5.2.2.4): Int32 length, -1 for null. Returns null for a null string. */
  string(): string | null {
    const n = this.i32();
    if (!this.ok || n < 0) return null;
    if (!this.need(n)) return null;
    const keep = Math.min(n, MAX_STRING * 4);
    const s = Reader.dec.decode(this.buf.subarray(this.pos, this.pos + keep));
    this.pos += n;
    return s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
  }

  /** ByteString (§5.2.2.7): [offset, length] of its bytes, or null when null/empty. */
  bytes(): [number, number] | null {
    const n = this.i32();
    if (!this.ok || n <= 0) return null;
    if (!this.need(n)) return null;
    const at = this.pos;
    this.pos += n;
    return [at, n];
  }

  /** Array length (§5.2.5): -1 null becomes 0; more than MAX_ARRAY fails the read. */
  count(): number {
    const n = this.i32();
    if (!this.ok || n <= 0) return 0;
    if (n > MAX_ARRAY && this.pos + n > this.end) this.ok = false;
    return this.ok ? n : 0;
  }

  /** NodeId or ExpandedNodeId (§5.2.2.9–10): the numeric id when namespace 0 and numeric, else -1. */
  nodeId(expanded = false): number {
    const mask = this.u8();
    let id = -1;
    switch (mask & 0x0f) {
      case 0:
        id = this.u8();
        break;
      case 1: {
        const ns = this.u8();
        const v = this.u16();
        id = ns === 0 ? v : -1;
        break;
      }
      case 2: {
        const ns = this.u16();
        const v = this.u32();
        id = ns === 0 ? v : -1;
        break;
      }
      case 3:
        this.u16();
        this.string();
        break;
      case 4:
        this.u16();
        this.skip(16);
        break;
      case 5:
        this.u16();
        this.bytes();
        break;
      default:
        this.ok = false;
    }
    if (expanded) {
      if (mask & 0x80) this.string();
      if (mask & 0x40) this.u32();
    } else if (mask & 0xc0) this.ok = false;
    return this.ok ? id : -1;
  }

  /** LocalizedText (§5.2.2.14): its text. */
  localizedText(): string | null {
    const mask = this.u8();
    if (mask & 0x01) this.string();
    return mask & 0x02 ? this.string() : null;
  }

  /** ExtensionObject (§5.2.2.15): type id and [offset, length] of a binary body. */
  extensionObject(): { typeId: number; body: [number, number] | null } {
    const typeId = this.nodeId();
    const enc = this.u8();
    if (enc === 0) return { typeId, body: null };
    if (enc !== 1 && enc !== 2) this.ok = false;
    const n = this.i32();
    if (n < 0 || !this.need(n)) return { typeId, body: null };
    const at = this.pos;
    this.pos += n;
    return { typeId, body: enc === 1 ? [at, n] : null };
  }

  /** DiagnosticInfo (§5.2.2.12), skipped. */
  diagnosticInfo(depth = 0): void {
    const mask = this.u8();
    if (mask & 0x01) this.u32();
    if (mask & 0x02) this.u32();
    if (mask & 0x08) this.u32();
    if (mask & 0x04) this.u32();
    if (mask & 0x10) this.string();
    if (mask & 0x20) this.u32();
    if (mask & 0x40) {
      if (depth >= MAX_DIAG_DEPTH) this.ok = false;
      else this.diagnosticInfo(depth + 1);
    }
  }

  stringArray(): void {
    const n = this.count();
    for (let i = 0; i < n && this.ok; i++) this.string();
  }

  /** RequestHeader (OPC 10000-4 §7.33), skipped. */
  requestHeader(): void {
    this.nodeId();
    this.skip(8);
    this.u32();
    this.u32();
    this.string();
    this.u32();
    this.extensionObject();
  }

  /** ResponseHeader (OPC 10000-4 §7.34): its ServiceResult. */
  responseHeader(): number {
    this.skip(8);
    this.u32();
    const result = this.u32();
    this.diagnosticInfo();
    this.stringArray();
    this.extensionObject();
    return result;
  }
}

export interface Hello {
  version: number;
  receiveBufferSize: number;
  sendBufferSize: number;
  maxMessageSize: number;
  maxChunkCount: number;
  endpointUrl: string | null;
}

/** Hello (§7.1.2.3) or, without the URL, Acknowledge (§7.1.2.4): the body after the header. */
export function parseHello(buf: Uint8Array, off: number, len: number, withUrl: boolean): Hello | 'bad' {
  const r = new Reader(buf, off, off + len);
  const h: Hello = { version: r.u32(), receiveBufferSize: r.u32(), sendBufferSize: r.u32(), maxMessageSize: r.u32(), maxChunkCount: r.u32(), endpointUrl: null };
  if (withUrl) h.endpointUrl = r.string();
  return r.ok ? h : 'bad';
}

/** Error (§7.1.2.5): status code and reason. */
export function parseError(buf: Uint8Array, off: number, len: number): { code: number; reason: string | null } | 'bad' {
  const r = new Reader(buf, off, off + len);
  const code = r.u32();
  const reason = r.string();
  return r.ok ? { code, reason } : 'bad';
}

/** ReverseHello (§7.1.2.6): the server's ApplicationUri and EndpointUrl. */
export function parseReverseHello(buf: Uint8Array, off: number, len: number): { serverUri: string | null; endpointUrl: string | null } | 'bad' {
  const r = new Reader(buf, off, off + len);
  const serverUri = r.string();
  const endpointUrl = r.string();
  return r.ok ? { serverUri, endpointUrl } : 'bad';
}

export interface OpenHeader {
  channelId: number;
  policyUri: string | null;
  senderCertificate: boolean;
  receiverThumbprint: boolean;
  /** Where the (possibly encrypted) sequence header and body start. */
  bodyOff: number;
}

/** OPN: SecureChannelId and the asymmetric security header (§6.7.2.3). */
export function parseOpenHeader(buf: Uint8Array, off: number, len: number): OpenHeader | 'bad' {
  const r = new Reader(buf, off, off + len);
  const channelId = r.u32();
  const policyUri = r.string();
  const senderCertificate = r.bytes() !== null;
  const receiverThumbprint = r.bytes() !== null;
  return r.ok ? { channelId, policyUri, senderCertificate, receiverThumbprint, bodyOff: r.pos } : 'bad';
}

/** MSG/CLO: SecureChannelId and the symmetric security header's TokenId (§6.7.2.4); the sequence header follows. */
export const SYMMETRIC_HEADER_LEN = 8;
/** Sequence header (§6.7.2.5): SequenceNumber and RequestId. */
export const SEQUENCE_HEADER_LEN = 8;

export interface Application {
  applicationUri: string | null;
  productUri: string | null;
  applicationName: string | null;
  applicationType: string | null;
}

function application(r: Reader): Application {
  const a: Application = { applicationUri: r.string(), productUri: r.string(), applicationName: r.localizedText(), applicationType: null };
  const t = r.u32();
  a.applicationType = r.ok ? APPLICATION_TYPES[t] ?? String(t) : null;
  r.string();
  r.string();
  r.stringArray();
  return a;
}

export interface Endpoint {
  endpointUrl: string | null;
  server: Application;
  securityMode: string;
  securityPolicyUri: string | null;
}

/** EndpointDescription (OPC 10000-4 §7.14). */
function endpoint(r: Reader): Endpoint {
  const endpointUrl = r.string();
  const server = application(r);
  r.bytes();
  const mode = r.u32();
  const securityPolicyUri = r.string();
  const nTokens = r.count();
  for (let i = 0; i < nTokens && r.ok; i++) {
    r.string();
    r.u32();
    r.string();
    r.string();
    r.string();
  }
  r.string();
  r.u8();
  return { endpointUrl, server, securityMode: SECURITY_MODES[mode] ?? String(mode), securityPolicyUri };
}

export interface IdentityToken {
  /** AnonymousIdentityToken, UserNameIdentityToken, X509IdentityToken, IssuedIdentityToken or the type id. */
  type: string;
  policyId?: string | null;
  user?: string | null;
  /** [offset, length] of the password in the message; only set when it is not encrypted. */
  passwordAt?: [number, number];
  /** The password was sent encrypted (EncryptionAlgorithm named). */
  passwordEncrypted?: boolean;
}

/** A decoded service message: its name and, for the services that matter, their fields. */
export interface ServiceMessage {
  typeId: number;
  service: string;
  /** OpenSecureChannelRequest. */
  securityMode?: string;
  /** Any response: its ServiceResult; ServiceFault. */
  serviceResult?: number;
  /** CreateSessionRequest. */
  endpointUrl?: string | null;
  sessionName?: string | null;
  client?: Application;
  /** GetEndpoints/CreateSession responses. */
  endpoints?: Endpoint[];
  /** FindServers response. */
  servers?: Application[];
  /** ActivateSessionRequest. */
  identity?: IdentityToken;
  /** The body was cut (chunked or truncated) before its fields were all read. */
  partial: boolean;
}

const RESPONSE_IDS: ReadonlySet<number> = new Set([
  OPEN_SECURE_CHANNEL_RESPONSE, GET_ENDPOINTS_RESPONSE, FIND_SERVERS_RESPONSE, CREATE_SESSION_RESPONSE, ACTIVATE_SESSION_RESPONSE, SERVICE_FAULT,
]);

/** Service name of a type id: "ReadRequest", or "ns0:<id>" for ids outside the table. */
export function serviceName(id: number): string {
  return SERVICE_NAMES.get(id) ?? (id >= 0 ? `i=${id}` : 'unknown');
}

/**
 * A service message body in clear (§6.7.2.6: after the sequence header): its type id, then the
 * fields of OpenSecureChannel, discovery and session services as far as the bytes go.
 */
export function parseService(buf: Uint8Array, off: number, len: number): ServiceMessage | 'bad' {
  const r = new Reader(buf, off, off + len);
  const typeId = r.nodeId(true);
  if (!r.ok) return 'bad';
  const m: ServiceMessage = { typeId, service: serviceName(typeId), partial: false };
  if (RESPONSE_IDS.has(typeId) || (SERVICE_NAMES.get(typeId)?.endsWith('Response') ?? false)) {
    const result = r.responseHeader();
    if (r.ok) m.serviceResult = result;
  }
  switch (typeId) {
    case OPEN_SECURE_CHANNEL_REQUEST: {
      r.requestHeader();
      r.u32();
      r.u32();
      const mode = r.u32();
      if (r.ok) m.securityMode = SECURITY_MODES[mode] ?? String(mode);
      break;
    }
    case GET_ENDPOINTS_RESPONSE:
      m.endpoints = endpoints(r);
      break;
    case FIND_SERVERS_RESPONSE: {
      const n = r.count();
      const servers: Application[] = [];
      for (let i = 0; i < n && i < MAX_ARRAY; i++) {
        const a = application(r);
        if (!r.ok) break;
        servers.push(a);
      }
      m.servers = servers;
      break;
    }
    case CREATE_SESSION_REQUEST: {
      r.requestHeader();
      const client = application(r);
      if (r.ok) m.client = client;
      r.string();
      const url = r.string();
      const name = r.string();
      if (r.ok) {
        m.endpointUrl = url;
        m.sessionName = name;
      }
      break;
    }
    case CREATE_SESSION_RESPONSE:
      r.nodeId();
      r.nodeId();
      r.skip(8);
      r.bytes();
      r.bytes();
      m.endpoints = endpoints(r);
      break;
    case ACTIVATE_SESSION_REQUEST: {
      r.requestHeader();
      r.string();
      r.bytes();
      const nCerts = r.count();
      for (let i = 0; i < nCerts && r.ok; i++) {
        r.bytes();
        r.bytes();
      }
      r.stringArray();
      const tok = r.extensionObject();
      if (r.ok) m.identity = identityToken(buf, tok.typeId, tok.body);
      break;
    }
    default:
      break;
  }
  m.partial = !r.ok;
  return m;
}

function endpoints(r: Reader): Endpoint[] {
  const n = r.count();
  const out: Endpoint[] = [];
  for (let i = 0; i < n && i < MAX_ARRAY; i++) {
    const e = endpoint(r);
    // A cut endpoint still names its server when the ApplicationDescription was read.
    if (r.ok || e.server.applicationUri !== null) out.push(e);
    if (!r.ok) break;
  }
  return out;
}

/** UserIdentityToken bodies (OPC 10000-4 §7.41). */
function identityToken(buf: Uint8Array, typeId: number, body: [number, number] | null): IdentityToken {
  const t: IdentityToken = { type: IDENTITY_TOKENS.get(typeId) ?? (typeId >= 0 ? `i=${typeId}` : 'unknown') };
  if (body === null) return t;
  const r = new Reader(buf, body[0], body[0] + body[1]);
  t.policyId = r.string();
  if (typeId !== USERNAME_IDENTITY_TOKEN) return t;
  t.user = r.string();
  const pw = r.bytes();
  const alg = r.string();
  if (!r.ok) return t;
  t.passwordEncrypted = alg !== null && alg !== '';
  if (pw !== null && !t.passwordEncrypted) t.passwordAt = pw;
  return t;
}
