// Per-connection MySQL state: packet framing of both directions, the handshake (greeting →
// login → OK/ERR, auth switches), then one command at a time with its response (OK, ERR, or a
// result set whose rows are counted). Each command becomes a mysql.log line as in Zeek's
// base/protocols/mysql; an SSLRequest ends parsing (the rest is TLS: the engine hands it to the
// TLS analyzer, and mysql.log stays empty as Zeek's does). Passwords sent by clear-text auth plugins become a digest only.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { sideAddr } from '../ntlm/session.js';
import { REDACTED, secretDigest } from '../secret.js';
import * as p from './parse.js';

const MAX_KEEP = 64 * 1024;
const PHASE_GREETING = 0;
const PHASE_LOGIN = 1;
const PHASE_AUTH = 2;
const PHASE_COMMAND = 3;
const PHASE_DONE = 4;

const RS_NONE = 0;
const RS_FIRST = 1;
const RS_COLUMNS = 2;
const RS_COLUMNS_EOF = 3;
const RS_ROWS = 4;
/** COM_FIELD_LIST answers with column definitions up to an EOF. */
const RS_FIELDS = 5;
/** Commands answered by a plain string or nothing useful: the first packet settles them. */
const RS_ANY = 6;
const COM_FIELD_LIST = 4;
const COM_STATISTICS = 9;

export interface MysqlRecord {
  type: 'mysql.command';
  tsSec: number;
  tsNsec: number;
  packet: number;
  cmd: string;
  arg: string;
  success?: boolean;
  rows?: number;
  response?: string;
  [k: string]: unknown;
}

export class MysqlAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer, PduFramer];
  private ctx: AnalyzerContext | null = null;
  private phase = PHASE_GREETING;
  private serverCaps = 0;
  private clientCaps = 0;
  private user = '';
  /** Auth plugin in force (from the login, or the latest auth switch). */
  private plugin = '';
  private rec: MysqlRecord | null = null;
  private rs = RS_NONE;
  private columns = 0;
  private rows = 0;
  private confirmed = false;

  constructor() {
    const opts = { maxHeader: p.MYSQL_HEADER_LEN, maxKeep: MAX_KEEP, lengthOf: p.mysqlFrameLength };
    this.framers = [
      new PduFramer(opts, { pdu: (b, o, n, t, d) => this.packet(true, b, o, n, t, d) }),
      new PduFramer(opts, { pdu: (b, o, n, t, d) => this.packet(false, b, o, n, t, d) }),
    ];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.phase === PHASE_DONE) return;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('mysql.bad_framing');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers[isOrig ? 0 : 1].gap(len);
    // A lost response leaves the result-set state meaningless.
    this.rs = RS_NONE;
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flush();
  }

  private flush(): void {
    const r = this.rec;
    if (r === null || this.ctx === null) return;
    this.rec = null;
    this.rs = RS_NONE;
    this.ctx.emit(r);
  }

  private open(cmd: string, arg: string): MysqlRecord {
    this.flush();
    const pk = this.ctx!.packet;
    this.rec = { type: 'mysql.command', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo, cmd, arg };
    return this.rec;
  }

  private packet(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const ctx = this.ctx;
    if (ctx === null || damaged || this.phase === PHASE_DONE || len < p.MYSQL_HEADER_LEN) return;
    const pay = off + p.MYSQL_HEADER_LEN;
    const plen = Math.min(len, total) - p.MYSQL_HEADER_LEN;
    if (isOrig) this.client(ctx, buf, pay, plen, buf[off + 3]);
    else this.server(ctx, buf, pay, plen);
  }

  private server(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    if (this.phase === PHASE_GREETING) {
      const g = p.parseGreeting(buf, off, len);
      if (g === null) {
        const e = p.parseServerPacket(buf, off, len, 0);
        // A server refusing the host answers the connection with an ERR packet (Zeek logs
        // nothing for it; the event keeps the fact).
        if (e.kind === 'err') ctx.emit({ type: 'mysql.refused', code: e.code, message: e.message, packet: ctx.packet.packetNo });
        this.phase = PHASE_DONE;
        return;
      }
      this.confirm(ctx);
      this.serverCaps = g.capabilities ?? 0;
      this.plugin = g.authPlugin ?? '';
      const c = ctx.conn;
      const maria = /^5\.5\.5-(.*MariaDB.*)$/.exec(g.version);
      const product = maria !== null || g.version.includes('MariaDB') ? 'MariaDB' : 'MySQL';
      const version = maria !== null ? maria[1] : g.version;
      ctx.emit({ type: 'mysql.greeting', host: sideAddr(ctx, false), version: g.version, product, protocol: g.protocol, auth_plugin: g.authPlugin, ssl_supported: ((g.capabilities ?? 0) & p.CLIENT_SSL) !== 0, packet: ctx.packet.packetNo });
      ctx.emit({ type: 'software', host: sideAddr(ctx, false), host_p: c.rPort, software_type: 'MySQL::SERVER', unparsed_version: `${product}/${version}` });
      this.phase = PHASE_LOGIN;
      return;
    }
    const caps = this.serverCaps & this.clientCaps;
    const sp = p.parseServerPacket(buf, off, len, caps);
    if (this.phase === PHASE_AUTH) {
      const r = this.rec;
      if (sp.kind === 'auth_switch') {
        this.plugin = sp.plugin;
        return;
      }
      if (sp.kind === 'ok' || sp.kind === 'err') {
        if (r !== null) {
          r.success = sp.kind === 'ok';
          if (sp.kind === 'ok') r.rows = sp.affectedRows;
          else r.response = sp.message;
        }
        this.flush();
        this.phase = sp.kind === 'ok' ? PHASE_COMMAND : PHASE_LOGIN;
      }
      return;
    }
    if (this.phase !== PHASE_COMMAND || this.rec === null) return;
    this.response(sp, buf, off, len);
  }

  /** One server packet answering the pending command. */
  private response(sp: p.ServerPacket, buf: Uint8Array, off: number, len: number): void {
    const r = this.rec!;
    const deprecateEof = (this.serverCaps & this.clientCaps & p.CLIENT_DEPRECATE_EOF) !== 0;
    if (sp.kind === 'err') {
      r.success = false;
      r.response = sp.message;
      this.flush();
      return;
    }
    switch (this.rs) {
      case RS_ANY:
        r.success = true;
        if (sp.kind === 'ok') r.rows = sp.affectedRows;
        this.flush();
        return;
      case RS_FIRST:
        if (sp.kind === 'ok') {
          r.success = true;
          r.rows = sp.affectedRows;
          this.flush();
          return;
        }
        if (sp.kind === 'eof') {
          r.success = true;
          r.rows = 0;
          this.flush();
          return;
        }
        {
          const n = p.lenenc(buf, off, off + len);
          if (n === null || n.v === 0) {
            this.flush();
            return;
          }
          this.columns = n.v;
          this.rows = 0;
          this.rs = RS_COLUMNS;
        }
        return;
      case RS_COLUMNS:
        if (--this.columns <= 0) this.rs = deprecateEof ? RS_ROWS : RS_COLUMNS_EOF;
        return;
      case RS_COLUMNS_EOF:
        this.rs = RS_ROWS;
        return;
      case RS_FIELDS:
        if (sp.kind === 'eof') {
          r.success = true;
          r.rows = 0;
          this.flush();
        }
        return;
      case RS_ROWS:
        // Rows end with EOF, or with an OK packet carrying the 0xFE header under DEPRECATE_EOF.
        if (buf[off] === p.EOF_HEADER && len < p.MYSQL_MAX_PAYLOAD && (sp.kind === 'eof' || deprecateEof)) {
          r.success = true;
          r.rows = this.rows;
          this.flush();
          return;
        }
        this.rows++;
        return;
    }
  }

  private client(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number, seq: number): void {
    if (this.phase === PHASE_LOGIN) {
      const h = p.parseHandshakeResponse(buf, off, len);
      if (h === null) return;
      this.confirm(ctx);
      this.clientCaps = h.capabilities;
      if (h.ssl) {
        // Zeek's mysql_ssl_request: the connection continues in TLS (the engine hands it over, as
        // for every *.starttls); nothing more to log.
        ctx.emit({ type: 'mysql.starttls', packet: ctx.packet.packetNo });
        this.phase = PHASE_DONE;
        return;
      }
      this.user = h.user ?? '';
      if (h.authPlugin !== undefined) this.plugin = h.authPlugin;
      this.open('login', this.user);
      if (h.authOff !== undefined) this.cleartext(ctx, buf, h.authOff, h.authLen!);
      this.phase = PHASE_AUTH;
      return;
    }
    if (this.phase === PHASE_AUTH) {
      // Auth data after an auth switch or AuthMoreData.
      this.cleartext(ctx, buf, off, len);
      return;
    }
    if (this.phase !== PHASE_COMMAND || seq !== 0 || len < 1) return;
    const code = buf[off];
    const name = p.COMMANDS[code] ?? `unknown-${code}`;
    const arg = p.TEXT_ARG_COMMANDS.has(code) ? p.commandArg(buf, off, len) : '';
    this.open(name, arg);
    if (code === p.COM_QUIT) {
      // No response comes for a quit: log it now.
      this.flush();
      this.phase = PHASE_DONE;
      return;
    }
    this.rs = code === COM_FIELD_LIST ? RS_FIELDS : code === COM_STATISTICS ? RS_ANY : RS_FIRST;
    if (code === p.COM_CHANGE_USER) {
      const u = p.commandArg(buf, off, len).split('\0')[0];
      this.rec!.arg = u;
      this.phase = PHASE_AUTH;
    }
  }

  /** Clear-text auth plugins send the password itself: keep a digest, never the value. */
  private cleartext(ctx: AnalyzerContext, buf: Uint8Array, off: number, len: number): void {
    if (!p.CLEARTEXT_PLUGINS.has(this.plugin) || len <= 0) return;
    let n = len;
    while (n > 0 && buf[off + n - 1] === 0) n--;
    if (n === 0) return;
    const c = ctx.conn;
    ctx.emit({
      type: 'credential',
      service: 'mysql',
      mechanism: this.plugin,
      user: this.user,
      password: REDACTED,
      secret: secretDigest(buf.subarray(off, off + n)),
      host: sideAddr(ctx, false),
      host_p: c.rPort,
      packet: ctx.packet.packetNo,
    });
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('mysql');
  }
}
