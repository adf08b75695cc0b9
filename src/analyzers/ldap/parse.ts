// LDAPv3 messages (RFC 4511 §4.1.1 LDAPMessage, §4.2 Bind, §4.3 Unbind, §4.5 Search,
// §4.12 Extended; Microsoft's Sicily NTLM bind, MS-ADTS §5.1.1.1.3) in BER (X.690). Pure: one
// whole message in, its operation's fields out. Passwords are returned as bounds only, so the
// caller decides (digest, never log).
import {
  CLASS_APPLICATION,
  CLASS_CONTEXT,
  CLASS_UNIVERSAL,
  TAG_BOOLEAN,
  TAG_ENUMERATED,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
  readInt,
  readTlv,
  readUtf8,
  tlvSize,
  type Tlv,
} from '../ntlm/ber.js';

export const OP_BIND_REQUEST = 0;
export const OP_BIND_RESPONSE = 1;
export const OP_UNBIND_REQUEST = 2;
export const OP_SEARCH_REQUEST = 3;
export const OP_SEARCH_RESULT_ENTRY = 4;
export const OP_SEARCH_RESULT_DONE = 5;
export const OP_MODIFY_REQUEST = 6;
export const OP_MODIFY_RESPONSE = 7;
export const OP_ADD_REQUEST = 8;
export const OP_ADD_RESPONSE = 9;
export const OP_DEL_REQUEST = 10;
export const OP_DEL_RESPONSE = 11;
export const OP_MOD_DN_REQUEST = 12;
export const OP_MOD_DN_RESPONSE = 13;
export const OP_COMPARE_REQUEST = 14;
export const OP_COMPARE_RESPONSE = 15;
export const OP_ABANDON_REQUEST = 16;
export const OP_SEARCH_RESULT_REFERENCE = 19;
export const OP_EXTENDED_REQUEST = 23;
export const OP_EXTENDED_RESPONSE = 24;
export const OP_INTERMEDIATE_RESPONSE = 25;

// AuthenticationChoice tags (RFC 4511 §4.2; MS-ADTS for Sicily).
export const AUTH_SIMPLE = 0;
export const AUTH_SASL = 3;
export const AUTH_SICILY_DISCOVERY = 9;
export const AUTH_SICILY_NEGOTIATE = 10;
export const AUTH_SICILY_RESPONSE = 11;

export const RESULT_SUCCESS = 0;
export const RESULT_SASL_BIND_IN_PROGRESS = 14;
export const RESULT_INVALID_CREDENTIALS = 49;

export const OID_STARTTLS = '1.3.6.1.4.1.1466.20037';

/** LDAPMessage ::= SEQUENCE: the identifier octet every message starts with. */
const LDAP_MESSAGE_TAG = 0x30;
/** SASL security-layer buffers (RFC 4422 §3.7) carry a 4-octet length and no 0x30. */
export const SASL_LENGTH_PREFIX = 4;
/** One LDAP message larger than this is not buffered (search results are counted, not kept). */
export const MAX_LDAP_MESSAGE = 1024 * 1024;
/** Filter nesting and size bounds: deeper or larger filters are cut with "…". */
const MAX_FILTER_DEPTH = 32;
const MAX_FILTER_CHARS = 4096;
const MAX_ATTRIBUTES = 256;

/**
 * Size of the message at `off` for stream framing: a BER SEQUENCE, or a SASL-wrapped buffer
 * (4-byte big-endian length) once a security layer is in force. 0 need more, -1 neither.
 */
export function ldapFrameLength(buf: Uint8Array, off: number, avail: number): number {
  if (avail < 1) return 0;
  if (buf[off] === LDAP_MESSAGE_TAG) return tlvSize(buf, off, off + avail);
  if (buf[off] === 0) {
    if (avail < SASL_LENGTH_PREFIX) return 0;
    const n = ((buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
    return n > 0 ? SASL_LENGTH_PREFIX + n : -1;
  }
  return -1;
}

export interface LdapResult {
  code: number;
  matchedDnOff: number;
  matchedDnLen: number;
  diagnostic: string;
}

export interface LdapMessage {
  messageId: number;
  op: number;
  // bind request
  version?: number;
  name?: string;
  authType?: number;
  mechanism?: string;
  /** Simple password, SASL credentials or Sicily token bounds (never logged). */
  credOff?: number;
  credLen?: number;
  // responses
  result?: LdapResult;
  /** BindResponse serverSaslCreds bounds. */
  saslCredsOff?: number;
  saslCredsLen?: number;
  // search request
  baseObject?: string;
  scope?: number;
  deref?: number;
  sizeLimit?: number;
  timeLimit?: number;
  filter?: string;
  attributes?: string[];
  // search result entry, add/del/modify/modDN/compare requests
  object?: string;
  // extended request / response
  requestName?: string;
  responseName?: string;
}

/** Parses one LDAPMessage occupying `len` bytes at `off`; null when it is not one. */
export function parseLdapMessage(buf: Uint8Array, off: number, len: number): LdapMessage | null {
  const end = off + len;
  const msg = readTlv(buf, off, end);
  if (msg === null || buf[off] !== LDAP_MESSAGE_TAG) return null;
  const id = readTlv(buf, msg.off, msg.end);
  if (id === null || id.cls !== CLASS_UNIVERSAL || id.tag !== TAG_INTEGER) return null;
  const messageId = readInt(buf, id);
  if (messageId === null) return null;
  const op = readTlv(buf, id.end, msg.end);
  if (op === null || op.cls !== CLASS_APPLICATION) return null;
  const m: LdapMessage = { messageId, op: op.tag };
  switch (op.tag) {
    case OP_BIND_REQUEST:
      bindRequest(buf, op, m);
      break;
    case OP_BIND_RESPONSE: {
      const p = ldapResult(buf, op, m);
      // serverSaslCreds [7] follows the LDAPResult fields.
      for (let q = p; q < op.end; ) {
        const t = readTlv(buf, q, op.end);
        if (t === null) break;
        if (t.cls === CLASS_CONTEXT && t.tag === 7) {
          m.saslCredsOff = t.off;
          m.saslCredsLen = t.len;
        }
        q = t.end;
      }
      break;
    }
    case OP_SEARCH_REQUEST:
      searchRequest(buf, op, m);
      break;
    case OP_SEARCH_RESULT_ENTRY:
    case OP_MODIFY_REQUEST:
    case OP_ADD_REQUEST:
    case OP_MOD_DN_REQUEST:
    case OP_COMPARE_REQUEST: {
      const dn = readTlv(buf, op.off, op.end);
      if (dn !== null && dn.tag === TAG_OCTET_STRING) m.object = readUtf8(buf, dn);
      break;
    }
    case OP_DEL_REQUEST:
      // DelRequest ::= [APPLICATION 10] LDAPDN: the DN is the primitive content itself.
      m.object = readUtf8(buf, op);
      break;
    case OP_EXTENDED_REQUEST: {
      const n = readTlv(buf, op.off, op.end);
      if (n !== null && n.cls === CLASS_CONTEXT && n.tag === 0) m.requestName = readUtf8(buf, n, 256);
      break;
    }
    case OP_EXTENDED_RESPONSE: {
      const p = ldapResult(buf, op, m);
      for (let q = p; q < op.end; ) {
        const t = readTlv(buf, q, op.end);
        if (t === null) break;
        if (t.cls === CLASS_CONTEXT && t.tag === 10) m.responseName = readUtf8(buf, t, 256);
        q = t.end;
      }
      break;
    }
    case OP_SEARCH_RESULT_DONE:
    case OP_MODIFY_RESPONSE:
    case OP_ADD_RESPONSE:
    case OP_DEL_RESPONSE:
    case OP_MOD_DN_RESPONSE:
    case OP_COMPARE_RESPONSE:
      ldapResult(buf, op, m);
      break;
  }
  return m;
}

function bindRequest(buf: Uint8Array, op: Tlv, m: LdapMessage): void {
  const v = readTlv(buf, op.off, op.end);
  if (v === null || v.tag !== TAG_INTEGER) return;
  const version = readInt(buf, v);
  if (version !== null) m.version = version;
  const name = readTlv(buf, v.end, op.end);
  if (name === null || name.tag !== TAG_OCTET_STRING) return;
  m.name = readUtf8(buf, name);
  const auth = readTlv(buf, name.end, op.end);
  if (auth === null || auth.cls !== CLASS_CONTEXT) return;
  m.authType = auth.tag;
  if (auth.tag === AUTH_SASL) {
    const mech = readTlv(buf, auth.off, auth.end);
    if (mech === null || mech.tag !== TAG_OCTET_STRING) return;
    m.mechanism = readUtf8(buf, mech, 256);
    const cred = readTlv(buf, mech.end, auth.end);
    if (cred !== null && cred.tag === TAG_OCTET_STRING) {
      m.credOff = cred.off;
      m.credLen = cred.len;
    }
  } else {
    m.credOff = auth.off;
    m.credLen = auth.len;
  }
}

/** LDAPResult fields at the start of a response; returns where the extra fields begin. */
function ldapResult(buf: Uint8Array, op: Tlv, m: LdapMessage): number {
  const code = readTlv(buf, op.off, op.end);
  if (code === null || code.tag !== TAG_ENUMERATED) return op.end;
  const c = readInt(buf, code);
  const dn = readTlv(buf, code.end, op.end);
  if (c === null || dn === null || dn.tag !== TAG_OCTET_STRING) return op.end;
  const diag = readTlv(buf, dn.end, op.end);
  // Active Directory terminates diagnostic messages with a NUL; it is not part of the text.
  const text = diag !== null && diag.tag === TAG_OCTET_STRING ? readUtf8(buf, diag, 1024).replace(/\0+$/, '') : '';
  m.result = { code: c, matchedDnOff: dn.off, matchedDnLen: dn.len, diagnostic: text };
  return diag === null ? dn.end : diag.end;
}

function searchRequest(buf: Uint8Array, op: Tlv, m: LdapMessage): void {
  const base = readTlv(buf, op.off, op.end);
  if (base === null || base.tag !== TAG_OCTET_STRING) return;
  m.baseObject = readUtf8(buf, base);
  const scope = readTlv(buf, base.end, op.end);
  const deref = scope && readTlv(buf, scope.end, op.end);
  const size = deref && readTlv(buf, deref.end, op.end);
  const time = size && readTlv(buf, size.end, op.end);
  const typesOnly = time && readTlv(buf, time.end, op.end);
  if (!scope || !deref || !size || !time || !typesOnly || typesOnly.tag !== TAG_BOOLEAN) return;
  m.scope = readInt(buf, scope) ?? undefined;
  m.deref = readInt(buf, deref) ?? undefined;
  m.sizeLimit = readInt(buf, size) ?? undefined;
  m.timeLimit = readInt(buf, time) ?? undefined;
  const filter = readTlv(buf, typesOnly.end, op.end);
  if (filter === null) return;
  const out = { s: '', nodes: 0 };
  formatFilter(buf, filter, 0, out);
  m.filter = out.s.length > MAX_FILTER_CHARS ? out.s.slice(0, MAX_FILTER_CHARS) + '…' : out.s;
  const attrs = readTlv(buf, filter.end, op.end);
  if (attrs !== null && attrs.tag === TAG_SEQUENCE) {
    const list: string[] = [];
    for (let q = attrs.off; q < attrs.end && list.length < MAX_ATTRIBUTES; ) {
      const a = readTlv(buf, q, attrs.end);
      if (a === null) break;
      list.push(readUtf8(buf, a, 256));
      q = a.end;
    }
    m.attributes = list;
  }
}

/** RFC 4515 string form of a Filter (§4.5.1.7), as Zeek's ldap_search.log shows it. */
function formatFilter(buf: Uint8Array, f: Tlv, depth: number, out: { s: string; nodes: number }): void {
  if (depth > MAX_FILTER_DEPTH || ++out.nodes > 1024 || out.s.length > MAX_FILTER_CHARS || f.cls !== CLASS_CONTEXT) {
    out.s += '…';
    return;
  }
  const text = (t: Tlv | null): string => (t === null ? '' : readUtf8(buf, t, 1024));
  switch (f.tag) {
    case 0:
    case 1:
    case 2: {
      out.s += f.tag === 0 ? '(&' : f.tag === 1 ? '(|' : '(!';
      for (let q = f.off; q < f.end; ) {
        const c = readTlv(buf, q, f.end);
        if (c === null) break;
        formatFilter(buf, c, depth + 1, out);
        q = c.end;
      }
      out.s += ')';
      return;
    }
    case 3:
    case 5:
    case 6:
    case 8: {
      const a = readTlv(buf, f.off, f.end);
      const v = a && readTlv(buf, a.end, f.end);
      const opText = f.tag === 3 ? '=' : f.tag === 5 ? '>=' : f.tag === 6 ? '<=' : '~=';
      out.s += `(${text(a)}${opText}${text(v)})`;
      return;
    }
    case 4: {
      const a = readTlv(buf, f.off, f.end);
      const seq = a && readTlv(buf, a.end, f.end);
      let s = `(${text(a)}=`;
      let first = true;
      let sawFinal = false;
      if (seq) {
        for (let q = seq.off; q < seq.end; ) {
          const c = readTlv(buf, q, seq.end);
          if (c === null) break;
          // initial [0] starts the pattern; any [1] and final [2] follow a '*'.
          if (c.tag === 0 && first) s += text(c);
          else {
            s += '*' + text(c);
            if (c.tag === 2) sawFinal = true;
          }
          first = false;
          q = c.end;
        }
      }
      out.s += s + (sawFinal ? '' : '*') + ')';
      return;
    }
    case 7:
      out.s += `(${readUtf8(buf, f, 1024)}=*)`;
      return;
    case 9: {
      let rule = '';
      let type = '';
      let value = '';
      let dn = false;
      for (let q = f.off; q < f.end; ) {
        const c = readTlv(buf, q, f.end);
        if (c === null) break;
        if (c.tag === 1) rule = text(c);
        else if (c.tag === 2) type = text(c);
        else if (c.tag === 3) value = text(c);
        else if (c.tag === 4) dn = c.len > 0 && buf[c.off] !== 0;
        q = c.end;
      }
      out.s += `(${type}${dn ? ':dn' : ''}${rule ? ':' + rule : ''}:=${value})`;
      return;
    }
    default:
      out.s += '(?)';
  }
}

/** Zeek's names for result codes (base/protocols/ldap/consts.zeek), RFC 4511 Appendix A. */
export const RESULT_NAMES: Record<number, string> = {
  0: 'success',
  1: 'operations error',
  2: 'protocol error',
  3: 'time limit exceeded',
  4: 'size limit exceeded',
  5: 'compare false',
  6: 'compare true',
  7: 'auth method not supported',
  8: 'stronger auth required',
  9: 'partial results',
  10: 'referral',
  11: 'admin limit exceeded',
  12: 'unavailable critical extension',
  13: 'confidentiality required',
  14: 'SASL bind in progress',
  16: 'no such attribute',
  17: 'undefined attribute type',
  18: 'inappropriate matching',
  19: 'constraint violation',
  20: 'attribute or value exists',
  21: 'invalid attribute syntax',
  32: 'no such object',
  33: 'alias problem',
  34: 'invalid DN syntax',
  36: 'alias dereferencing problem',
  48: 'inappropriate authentication',
  49: 'invalid credentials',
  50: 'insufficient access rights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwilling to perform',
  54: 'loop detect',
  60: 'sort control missing',
  61: 'offset range error',
  64: 'naming violation',
  65: 'object class violation',
  66: 'not allowed on non-leaf',
  67: 'not allowed on RDN',
  68: 'entry already exists',
  69: 'object class mods prohibited',
  70: 'results too large',
  71: 'affects multiple DSAs',
  76: 'control error',
  80: 'other',
  118: 'canceled',
  119: 'no such operation',
  120: 'too late',
  121: 'cannot cancel',
  122: 'assertion failed',
  123: 'authorization denied',
};

export const SCOPE_NAMES: Record<number, string> = { 0: 'base', 1: 'single', 2: 'tree' };
export const DEREF_NAMES: Record<number, string> = { 0: 'never', 1: 'searching', 2: 'finding', 3: 'always' };
