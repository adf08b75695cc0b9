// Per-connection LDAP state: BER framing of both directions, one pending record per message id
// (ldap.log) or per search (ldap_search.log) until its final response, as Zeek's
// base/protocols/ldap pairs them; NTLM from SASL (GSS-SPNEGO, NTLM) and Sicily binds goes to
// the shared NtlmSession. Simple-bind passwords become a digest in a `credential` event and
// "<redacted>" in the log. StartTLS ends parsing (the rest is TLS). CLDAP (UDP) datagrams are
// one message each.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { NtlmSession, sideAddr } from '../ntlm/session.js';
import { isNtlmssp } from '../ntlm/parse.js';
import { REDACTED, secretDigest } from '../secret.js';
import { readTlv, readInt } from '../ntlm/ber.js';
import * as p from './parse.js';
import { evictOldest } from '../../util/evict.js';

const MAX_KEEP = 64 * 1024;
const MAX_PENDING = 256;
/** A BER header is at most 1 + 4 (tag) + 1 + 4 (length) octets. */
const MAX_BER_HEADER = 10;
const PROTO_UDP = 17;

/** Opcodes whose message ends the exchange (Zeek's OPCODES_FINISHED). */
const FINISHED = new Set([p.OP_BIND_RESPONSE, p.OP_UNBIND_REQUEST, p.OP_MODIFY_RESPONSE, p.OP_ADD_RESPONSE, p.OP_DEL_RESPONSE, p.OP_MOD_DN_RESPONSE, p.OP_COMPARE_RESPONSE, p.OP_ABANDON_REQUEST, p.OP_EXTENDED_RESPONSE]);
const SEARCH_OPS = new Set([p.OP_SEARCH_REQUEST, p.OP_SEARCH_RESULT_ENTRY, p.OP_SEARCH_RESULT_DONE, p.OP_SEARCH_RESULT_REFERENCE]);
/** Zeek's normalised opcode names (request and response share one). */
const OPCODE_NAMES: Record<number, string> = {
  0: 'bind',
  1: 'bind',
  2: 'unbind',
  6: 'modify',
  7: 'modify',
  8: 'add',
  9: 'add',
  10: 'delete',
  11: 'delete',
  12: 'modify',
  13: 'modify',
  14: 'compare',
  15: 'compare',
  16: 'abandon',
  23: 'extended',
  24: 'extended',
  25: 'intermediate',
};
const EXTENDED_NAMES: Record<string, string> = { [p.OID_STARTTLS]: 'StartTLS', '1.3.6.1.4.1.4203.1.11.3': 'whoami' };

interface MessageRec {
  type: 'ldap.message';
  tsSec: number;
  tsNsec: number;
  packet: number;
  message_id: number;
  version?: number;
  opcode?: string;
  result?: string;
  diagnostic_message?: string;
  object?: string;
  argument?: string;
  [k: string]: unknown;
}

interface SearchRec {
  type: 'ldap.search';
  tsSec: number;
  tsNsec: number;
  packet: number;
  message_id: number;
  scope?: string;
  deref_aliases?: string;
  base_object?: string;
  result_count: number;
  result?: string;
  diagnostic_message?: string;
  filter?: string;
  attributes?: string[];
  [k: string]: unknown;
}

class Bounded<V> extends Map<number, V> {
  override set(k: number, v: V): this {
    if (!this.has(k) && this.size >= MAX_PENDING) evictOldest(this);
    return super.set(k, v);
  }
}

export class LdapAnalyzer implements FlowAnalyzer {
  readonly ntlm = new NtlmSession();
  private framers: [PduFramer, PduFramer] | null = null;
  private ctx: AnalyzerContext | null = null;
  private confirmed = false;
  private readonly messages = new Bounded<MessageRec>();
  private readonly searches = new Bounded<SearchRec>();
  /** Message id of a StartTLS request awaiting its response. */
  private startTlsId = -1;
  private tls = false;
  private saslWrapped = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.tls) return;
    if (ctx.conn.proto === PROTO_UDP) {
      this.message(isOrig, buf, off, len, len, false);
      return;
    }
    if (this.framers === null) {
      const opts = { maxHeader: MAX_BER_HEADER, maxKeep: MAX_KEEP, lengthOf: p.ldapFrameLength };
      this.framers = [
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.message(true, b, o, n, t, d) }),
        new PduFramer(opts, { pdu: (b, o, n, t, d) => this.message(false, b, o, n, t, d) }),
      ];
    }
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('ldap.bad_framing');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers?.[isOrig ? 0 : 1].gap(len);
  }

  end(ctx: AnalyzerContext): void {
    this.ntlm.end(ctx);
    // Zeek's finalize_ldap: what never got a final response is logged as it stands.
    for (const [id, m] of this.messages) if (id > 0) ctx.emit(m);
    for (const [id, s] of this.searches) if (id > 0) ctx.emit(s);
    this.messages.clear();
    this.searches.clear();
  }

  private message(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const ctx = this.ctx;
    if (ctx === null || damaged || this.tls) return;
    if (buf[off] === 0) {
      // A SASL security layer (sign/seal) wraps the rest of the connection.
      if (!this.saslWrapped) {
        this.saslWrapped = true;
        ctx.weird('ldap.sasl_wrapped');
      }
      return;
    }
    if (len < total) {
      this.truncated(buf, off, len);
      return;
    }
    const m = p.parseLdapMessage(buf, off, len);
    if (m === null) {
      ctx.weird('ldap.bad_message');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm(ctx.conn.proto === PROTO_UDP ? 'ldap_udp' : 'ldap_tcp');
    }
    if (SEARCH_OPS.has(m.op)) this.search(m);
    else this.other(ctx, isOrig, buf, m);
  }

  /** A message larger than the kept prefix: only a search entry needs counting. */
  private truncated(buf: Uint8Array, off: number, len: number): void {
    // The outer length runs past the kept bytes, so read the header fields one by one.
    if (len < 2) return;
    const idAt = off + (buf[off + 1] & 0x80 ? 2 + (buf[off + 1] & 0x7f) : 2);
    const id = readTlv(buf, idAt, off + len);
    if (id === null) return;
    const mid = readInt(buf, id);
    if (mid === null || id.end >= off + len) return;
    const tag = buf[id.end] & 0x1f;
    if (tag === p.OP_SEARCH_RESULT_ENTRY) {
      const s = this.searches.get(mid);
      if (s !== undefined) s.result_count++;
    }
  }

  private search(m: p.LdapMessage): void {
    let s = this.searches.get(m.messageId);
    if (s === undefined) {
      const pk = this.ctx!.packet;
      s = { type: 'ldap.search', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo, message_id: m.messageId, result_count: 0 };
      this.searches.set(m.messageId, s);
    }
    if (m.op === p.OP_SEARCH_REQUEST) {
      if (m.scope !== undefined) s.scope = p.SCOPE_NAMES[m.scope] ?? 'unknown';
      if (m.deref !== undefined) s.deref_aliases = p.DEREF_NAMES[m.deref] ?? 'unknown';
      if (m.baseObject) s.base_object = m.baseObject;
      if (m.filter !== undefined) s.filter = m.filter;
      if (m.attributes !== undefined && m.attributes.length > 0) s.attributes = m.attributes;
    } else if (m.op === p.OP_SEARCH_RESULT_ENTRY) {
      s.result_count++;
    } else if (m.op === p.OP_SEARCH_RESULT_DONE) {
      if (m.result !== undefined) {
        s.result = p.RESULT_NAMES[m.result.code] ?? 'unknown';
        if (m.result.diagnostic !== '') s.diagnostic_message = m.result.diagnostic;
      }
      this.searches.delete(m.messageId);
      this.ctx!.emit(s);
    }
  }

  private other(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: p.LdapMessage): void {
    let r = this.messages.get(m.messageId);
    if (r === undefined) {
      const pk = ctx.packet;
      r = { type: 'ldap.message', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo, message_id: m.messageId };
      this.messages.set(m.messageId, r);
    }
    if (m.op === p.OP_BIND_REQUEST) this.bindRequest(ctx, isOrig, buf, m, r);
    else if (r.opcode === undefined || m.op !== p.OP_BIND_RESPONSE) r.opcode = OPCODE_NAMES[m.op] ?? 'unknown';
    if (m.result !== undefined) {
      r.result = p.RESULT_NAMES[m.result.code] ?? 'unknown';
      if (m.result.diagnostic !== '') r.diagnostic_message = m.result.diagnostic;
    }
    if (m.object !== undefined && m.object !== '') r.object = m.object;
    if (m.op === p.OP_EXTENDED_REQUEST && m.requestName !== undefined) {
      r.object = `${m.requestName} (${EXTENDED_NAMES[m.requestName] ?? 'unknown'})`;
      if (m.requestName === p.OID_STARTTLS) this.startTlsId = m.messageId;
    }
    if (m.op === p.OP_BIND_RESPONSE) this.bindResponse(ctx, isOrig, buf, m);
    const startTls = m.op === p.OP_EXTENDED_RESPONSE && m.messageId === this.startTlsId && m.result?.code === p.RESULT_SUCCESS;
    if (startTls) this.tls = true;
    if (FINISHED.has(m.op)) {
      this.messages.delete(m.messageId);
      ctx.emit(r);
    }
    // The server accepted StartTLS: the client's next bytes are a TLS ClientHello.
    if (startTls) ctx.emit({ type: 'ldap.starttls' });
  }

  private bindRequest(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: p.LdapMessage, r: MessageRec): void {
    if (m.version !== undefined) r.version = m.version;
    if (m.name !== undefined && m.name !== '') r.object = m.name;
    const hasCred = m.credOff !== undefined && m.credLen! > 0;
    switch (m.authType) {
      case p.AUTH_SIMPLE:
        r.opcode = 'bind simple';
        if (hasCred) {
          r.argument = REDACTED;
          const c = ctx.conn;
          ctx.emit({
            type: 'credential',
            service: 'ldap',
            mechanism: 'simple',
            user: m.name ?? '',
            password: REDACTED,
            secret: secretDigest(buf.subarray(m.credOff!, m.credOff! + m.credLen!)),
            host: sideAddr(ctx, !isOrig),
            host_p: isOrig ? c.rPort : c.oPort,
            packet: ctx.packet.packetNo,
          });
        }
        return;
      case p.AUTH_SASL:
        r.opcode = 'bind SASL';
        if (m.mechanism) r.argument = m.mechanism;
        if (hasCred) this.ntlm.token(ctx, isOrig, buf, m.credOff!, m.credLen!);
        return;
      case p.AUTH_SICILY_NEGOTIATE:
      case p.AUTH_SICILY_RESPONSE:
        r.opcode = m.authType === p.AUTH_SICILY_NEGOTIATE ? 'sicily_negotiate' : 'sicily_response';
        if (hasCred && isNtlmssp(buf, m.credOff!, m.credLen!)) {
          // Zeek shows the NTLM signature as the argument.
          r.argument = 'NTLMSSP';
          this.ntlm.token(ctx, isOrig, buf, m.credOff!, m.credLen!);
        }
        return;
      case p.AUTH_SICILY_DISCOVERY:
        r.opcode = 'sicily_package_discovery';
        return;
      default:
        r.opcode = `bind auth ${m.authType}`;
    }
  }

  private bindResponse(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, m: p.LdapMessage): void {
    if (m.saslCredsOff !== undefined && m.saslCredsLen! > 0) this.ntlm.token(ctx, isOrig, buf, m.saslCredsOff, m.saslCredsLen!);
    // Sicily returns the NTLM CHALLENGE in matchedDN (MS-ADTS §5.1.1.1.3).
    const res = m.result;
    if (res !== undefined && isNtlmssp(buf, res.matchedDnOff, res.matchedDnLen)) this.ntlm.token(ctx, isOrig, buf, res.matchedDnOff, res.matchedDnLen);
    if (res !== undefined && res.code !== p.RESULT_SASL_BIND_IN_PROGRESS && this.ntlm.awaitingResult) this.ntlm.result(ctx, res.code === p.RESULT_SUCCESS);
  }
}
