// Per-connection PostgreSQL state (protocol v3, PostgreSQL docs §55.2 Message Flow): the client's
// untyped startup phase (SSLRequest/GSSENCRequest and the server's one-byte answer, then the
// StartupMessage), the authentication exchange, then simple queries. postgresql.log lines are
// built as Zeek's base/protocols/postgresql/main.zeek builds them; an accepted SSLRequest hands
// the rest of the stream to the TLS analyzer. A cleartext PasswordMessage becomes a digest only.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { sideAddr } from '../ntlm/session.js';
import { REDACTED, secretDigest } from '../secret.js';
import type { PostgresqlRecordEvent } from './events.js';
import * as p from './parse.js';

const MAX_KEEP = 64 * 1024;
const MAX_METHODS = 8;
const MAX_ERRORS = 32;

// Client direction.
const C_STARTUP = 0;
const C_TYPED = 1;
/** SSLRequest/GSSENCRequest sent: nothing more until the server answers. */
const C_WAIT = 2;
// Server direction.
const S_TYPED = 0;
const S_ANSWER = 1;

/** Literals after PASSWORD in CREATE/ALTER ROLE … PASSWORD '…' (and ENCRYPTED PASSWORD). */
const PASSWORD_LITERAL = /(\bpassword\s+)(E?'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\$\w*\$[\s\S]*?(?:\$\w*\$|$))/gi;

/** The query text as logged: password literals of role commands are replaced (the rest as Zeek logs it). */
export function redactQuery(q: string): string {
  return q.replace(PASSWORD_LITERAL, `$1'${REDACTED}'`);
}

interface PendingCredential {
  user: string;
  secret: string;
  packet: number;
}

export class PostgresqlAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer, PduFramer];
  private ctx: AnalyzerContext | null = null;
  private client = C_STARTUP;
  private server = S_TYPED;
  private done = false;
  private confirmed = false;
  /** A message of the client was parsed (a mid-stream capture has no startup phase). */
  private clientSeen = false;
  private requested: 'ssl' | 'gssenc' = 'ssl';

  // Zeek's Info record (the open log line) and State (kept across lines).
  private info: PostgresqlRecordEvent | null = null;
  private user: string | undefined;
  private database: string | undefined;
  private appName: string | undefined;
  private rows: number | undefined;
  private errors: string[] = [];

  // The login: methods requested, the latest request (to read the client's answer), outcome.
  private inAuth = false;
  private lastAuth = -1;
  private methods: string[] = [];
  private saslMechanism: string | undefined;
  private pending: PendingCredential | null = null;
  private softwareSeen = false;

  constructor() {
    this.framers = [
      new PduFramer({ maxHeader: p.TYPED_HEADER_LEN, maxKeep: MAX_KEEP, lengthOf: (b, o, n) => this.clientLength(b, o, n) }, { pdu: (b, o, n, t, d) => this.clientMessage(b, o, n, t, d) }),
      new PduFramer({ maxHeader: p.TYPED_HEADER_LEN, maxKeep: MAX_KEEP, lengthOf: (b, o, n) => this.serverLength(b, o, n) }, { pdu: (b, o, n, t, d) => this.serverMessage(b, o, n, t, d) }),
    ];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.done) return;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('postgresql.bad_framing');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers[isOrig ? 0 : 1].gap(len);
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.credential(undefined);
    this.emitLog();
  }

  private clientLength(b: Uint8Array, o: number, n: number): number {
    if (this.client === C_STARTUP) {
      const t = p.untypedLength(b, o, n);
      // A capture that starts after the startup phase: typed messages from the first byte on.
      if (t < 0 && !this.clientSeen) {
        this.client = C_TYPED;
        return p.typedLength(b, o, n);
      }
      return t;
    }
    return this.client === C_TYPED ? p.typedLength(b, o, n) : -1;
  }

  private serverLength(b: Uint8Array, o: number, n: number): number {
    if (this.server === S_ANSWER) {
      if (n < 1) return 0;
      const a = b[o];
      // A server predating SSL support answers the request with an ErrorResponse instead.
      if (a === p.ANSWER_SSL || a === p.ANSWER_NO || a === p.ANSWER_GSS) return 1;
    }
    return p.typedLength(b, o, n);
  }

  // ---- Zeek's Info/State bookkeeping (main.zeek: set_session, emit_log) -----------------------

  private session(): PostgresqlRecordEvent {
    if (this.info === null) {
      const pk = this.ctx!.packet;
      this.info = { type: 'postgresql.record', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo };
    }
    return this.info;
  }

  private emitLog(): void {
    const r = this.info;
    if (r === null || this.ctx === null) return;
    this.info = null;
    if (this.user !== undefined) r.user = this.user;
    if (this.database !== undefined) r.database = this.database;
    if (this.appName !== undefined) r.application_name = this.appName;
    this.ctx.emit(r);
  }

  private appendArg(r: PostgresqlRecordEvent, s: string): void {
    r.backend_arg = r.backend_arg === undefined ? s : `${r.backend_arg},${s}`;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('postgresql');
  }

  // ---- client ----------------------------------------------------------------------------------

  private clientMessage(buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const ctx = this.ctx;
    if (ctx === null || damaged || this.done) return;
    this.clientSeen = true;
    if (this.client === C_STARTUP) {
      this.startup(ctx, buf, off, Math.min(len, total));
      return;
    }
    const type = buf[off];
    const body = off + p.TYPED_HEADER_LEN;
    const blen = Math.min(len, total) - p.TYPED_HEADER_LEN;
    switch (type) {
      case p.MSG_QUERY: {
        const q = p.cstring(buf, body, body + blen);
        // Zeek: a new query writes the previous line, if any, and opens its own.
        this.emitLog();
        const r = this.session();
        r.frontend = 'simple_query';
        r.frontend_arg = redactQuery(q === null ? '' : q.s);
        this.rows = 0;
        return;
      }
      case p.MSG_TERMINATE:
        this.emitLog();
        this.session().frontend = 'terminate';
        this.emitLog();
        return;
      case p.MSG_PASSWORD:
        this.authResponse(ctx, buf, body, blen);
        return;
    }
  }

  private startup(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    const m = p.parseStartup(buf, off, len);
    if (m === null) {
      ctx.weird('postgresql.bad_startup');
      this.done = true;
      return;
    }
    const packet = ctx.packet.packetNo;
    switch (m.kind) {
      case 'ssl_request':
      case 'gssenc_request':
        this.requested = m.kind === 'ssl_request' ? 'ssl' : 'gssenc';
        ctx.emit({ type: `postgresql.${m.kind}`, packet });
        this.session().frontend = m.kind;
        this.client = C_WAIT;
        this.server = S_ANSWER;
        return;
      case 'cancel':
        // The key is the backend's secret for cancelling its query: not logged.
        this.confirm(ctx);
        this.session().frontend = 'cancel_request';
        this.emitLog();
        this.done = true;
        return;
      case 'startup': {
        this.confirm(ctx);
        ctx.emit({ type: 'postgresql.startup', major: m.major, minor: m.minor, parameters: m.params, packet });
        for (const [name, value] of m.params) {
          if (name === 'user') this.user = value;
          else if (name === 'database') this.database = value;
          else if (name === 'application_name') this.appName = value;
        }
        this.session().frontend = 'startup';
        this.client = C_TYPED;
        this.inAuth = true;
        return;
      }
    }
  }

  /** PasswordMessage, SASLInitialResponse, SASLResponse or GSSResponse: which one follows from the request. */
  private authResponse(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    if (!this.inAuth) return;
    if (this.lastAuth === p.AUTH_CLEARTEXT && this.pending === null) {
      const pw = p.cstring(buf, off, off + len);
      if (pw === null || pw.s === '') return;
      // Digest of the raw bytes (the password is not latin1-decoded first).
      this.pending = { user: this.user ?? '', secret: secretDigest(buf.subarray(off, pw.next - 1)), packet: ctx.packet.packetNo };
    } else if (this.lastAuth === p.AUTH_SASL && this.saslMechanism === undefined) {
      this.saslMechanism = p.parseSaslInitial(buf, off, len) ?? undefined;
    }
  }

  /** A cleartext password crossed the wire: the credential fact, with the outcome once known. */
  private credential(success: boolean | undefined): void {
    const c = this.pending;
    const ctx = this.ctx;
    if (c === null || ctx === null) return;
    this.pending = null;
    const ev: Record<string, unknown> = {
      type: 'credential',
      protocol: 'postgresql',
      mechanism: 'cleartext',
      user: c.user,
      password: REDACTED,
      secret: c.secret,
      host: sideAddr(ctx, false),
      host_p: ctx.conn.rPort,
      packet: c.packet,
    };
    if (success !== undefined) ev.success = success;
    ctx.emit(ev as { type: string });
  }

  private login(ctx: AnalyzerContext, success: boolean, code?: string, message?: string): void {
    if (!this.inAuth) return;
    this.inAuth = false;
    const ev: Record<string, unknown> = { type: 'postgresql.login' };
    if (this.user !== undefined) ev.user = this.user;
    if (this.database !== undefined) ev.database = this.database;
    if (this.appName !== undefined) ev.application_name = this.appName;
    ev.methods = this.methods;
    if (this.saslMechanism !== undefined) ev.sasl_mechanism = this.saslMechanism;
    ev.success = success;
    if (code !== undefined) ev.code = code;
    if (message !== undefined) ev.message = message;
    ev.packet = ctx.packet.packetNo;
    ctx.emit(ev as { type: string });
    this.credential(success);
  }

  // ---- server ----------------------------------------------------------------------------------

  private serverMessage(buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const ctx = this.ctx;
    if (ctx === null || damaged || this.done) return;
    if (this.server === S_ANSWER) {
      this.server = S_TYPED;
      if (total === 1) {
        this.answer(ctx, buf[off]);
        return;
      }
    }
    const type = buf[off];
    const body = off + p.TYPED_HEADER_LEN;
    const blen = Math.min(len, total) - p.TYPED_HEADER_LEN;
    switch (type) {
      case p.MSG_AUTH:
        this.auth(ctx, buf, body, blen);
        return;
      case p.MSG_ERROR:
        this.error(ctx, buf, body, blen);
        return;
      case p.MSG_NOTICE: {
        const fields = p.parseFields(buf, body, blen);
        if (fields === null) return;
        const r = this.session();
        for (const [c, v] of fields) this.appendArg(r, `${p.fieldName(c)}=${v}`);
        return;
      }
      case p.MSG_PARAMETER_STATUS: {
        const s = p.parseParameterStatus(buf, body, blen);
        if (s === null) return;
        ctx.emit({ type: 'postgresql.parameter_status', name: s.name, value: s.value });
        if (s.name === 'server_version' && !this.softwareSeen) {
          this.softwareSeen = true;
          ctx.emit({ type: 'software', host: sideAddr(ctx, false), host_p: ctx.conn.rPort, software_type: 'PostgreSQL::SERVER', unparsed_version: `PostgreSQL/${s.value}` });
        }
        return;
      }
      case p.MSG_DATA_ROW:
        if (p.parseDataRow(buf, body, blen) === null) return;
        this.session();
        this.rows = (this.rows ?? 0) + 1;
        return;
      case p.MSG_READY: {
        const status = p.parseReady(buf, body, blen);
        if (status === null) return;
        // Zeek: ReadyForQuery writes the open line; unless told otherwise, it succeeded.
        const r = this.info;
        if (r === null) return;
        if (r.success === undefined) r.success = status === 'I' || status === 'T';
        if (this.rows !== undefined) {
          r.rows = this.rows;
          this.rows = undefined;
        }
        this.emitLog();
        return;
      }
    }
  }

  /** The one-byte answer to SSLRequest ('S'/'N') or GSSENCRequest ('G'/'N'). */
  private answer(ctx: AnalyzerContext, a: number): void {
    this.confirm(ctx);
    const ch = String.fromCharCode(a);
    const r = this.session();
    r.backend = this.requested === 'ssl' ? 'ssl_reply' : 'gssenc_reply';
    r.backend_arg = ch;
    r.success = a !== p.ANSWER_NO;
    this.emitLog();
    if (a === p.ANSWER_NO) {
      // Refused: the client goes on in clear with a StartupMessage (or gives up).
      this.client = C_STARTUP;
      return;
    }
    this.done = true;
    // TLS from the next byte on in both directions; GSSAPI-encrypted traffic is not analysed.
    if (a === p.ANSWER_SSL) ctx.emit({ type: 'postgresql.starttls', packet: ctx.packet.packetNo });
  }

  private auth(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    const a = p.parseAuth(buf, off, len);
    if (a === null) {
      ctx.weird('postgresql.bad_authentication');
      return;
    }
    const r = this.session();
    if (a.code === p.AUTH_OK) {
      r.backend = 'auth_ok';
      r.success = true;
      this.login(ctx, true);
      return;
    }
    // As main.zeek: a backend already named (and not ending in "auth") gets ",auth_request" added.
    r.backend = r.backend !== undefined && !r.backend.endsWith('auth') ? `${r.backend},auth_request` : 'auth_request';
    const name = p.authName(a.code);
    this.appendArg(r, name);
    this.lastAuth = a.code;
    if (this.methods.length < MAX_METHODS) this.methods.push(name);
    if (a.mechanisms !== undefined) ctx.emit({ type: 'postgresql.sasl_mechanisms', mechanisms: a.mechanisms });
  }

  private error(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    const fields = p.parseFields(buf, off, len);
    if (fields === null) {
      ctx.weird('postgresql.bad_error_response');
      return;
    }
    for (const [c, v] of fields) if (this.errors.length < MAX_ERRORS) this.errors.push(`${p.fieldName(c)}=${v}`);
    const r = this.session();
    r.backend = r.backend === undefined ? 'error' : `${r.backend},error`;
    this.appendArg(r, this.errors.join(','));
    this.errors = [];
    r.success = false;
    const code = fields.find((f) => f[0] === 'C')?.[1];
    const message = fields.find((f) => f[0] === 'M')?.[1];
    this.login(ctx, false, code, message);
    this.emitLog();
  }
}
