// Per-connection Redis state: a RESP reader per direction; each client command queued (bounded)
// and paired in order with the next reply (Redis answers pipelined commands in order; RESP3
// attributes and pushes, and the messages of pub/sub and MONITOR, answer none). A command keeps
// only its name, and for the commands that need it its subcommand, CONFIG parameter names, user
// name and whether a password went by; passwords become the shared `credential` fact (a keyed
// digest). INFO's and HELLO's answers give the server's identity. One redis.session when the
// connection ends: authentication seen, refused, or never asked for.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { REDACTED, secretDigest } from '../secret.js';
import type { RedisAdmin, RedisCommand, RedisSession } from './events.js';
import {
  ADMIN_COMMANDS,
  ADMIN_CONFIG_PARAMS,
  ARG_COMMANDS,
  COMMANDS,
  CONNECTION_COMMANDS,
  CONTAINER_COMMANDS,
  PASSWORD_CONFIG_PARAMS,
  STREAMING_COMMANDS,
  T_ATTRIBUTE,
  T_BLOB_ERROR,
  T_BULK,
  T_ERROR,
  T_PUSH,
  T_VERBATIM,
  TYPE_NAMES,
  commandName,
  errorCode,
  inlineWords,
  luaEscapes,
  paramName,
  parseHello,
  parseInfo,
  type ServerIdentity,
} from './parse.js';
import { CAPTURE_ITEMS, CAPTURE_NONE, CAPTURE_TEXT, RESP_BAD_LENGTH, RESP_BAD_TYPE, RESP_GAP, RESP_LINE_TOO_LONG, RESP_STREAMED, RESP_TOO_DEEP, RespReader, T_INLINE, type RespMessage, type RespSink } from './resp.js';

/** redis.log lines per connection; the rest are counted (a busy cache sends millions). */
export const MAX_LOGGED = 1000;
/** Commands awaiting their replies (a pipeline deeper than this loses its oldest pairings). */
const MAX_PENDING = 256;
/** CONFIG parameter names kept per command. */
const MAX_PARAMS = 8;

const WEIRDS: Record<number, string> = {
  [RESP_BAD_TYPE]: 'redis.bad_type',
  [RESP_BAD_LENGTH]: 'redis.bad_length',
  [RESP_TOO_DEEP]: 'redis.too_deep',
  [RESP_LINE_TOO_LONG]: 'redis.line_too_long',
  [RESP_STREAMED]: 'redis.streamed_type',
};

interface Pending {
  rec: RedisCommand;
  known: boolean;
  admin: RedisAdmin | null;
  /** A password sent with the command: its credential fact, emitted with the reply's outcome. */
  cred: Record<string, unknown> | null;
  /** Its reply carries the server's identity. */
  identity: 'info' | 'hello' | null;
  moves: boolean;
}

export class RedisAnalyzer implements FlowAnalyzer {
  private ctx: AnalyzerContext | null = null;
  private readonly client: RespReader;
  private readonly server: RespReader;
  private readonly pending: Pending[] = [];
  private confirmed = false;
  private readonly s: RedisSession = { type: 'redis.session', tsSec: 0, tsNsec: 0, packet: 0, server: '', server_p: 0, commands: 0, replies: 0, unlogged: 0, auth_attempts: 0, auth_success: false, noauth: false, unauthenticated_data: 0 };
  private logged = 0;
  private authed = false;
  private streaming = false;
  private identified = false;
  /** This connection moved the dump's directory or file name (CONFIG SET dir/dbfilename). */
  private movedDump = false;
  private fromHandshake = false;

  constructor() {
    const clientSink: RespSink = { begin: () => CAPTURE_NONE, message: (m) => this.command(m) };
    const serverSink: RespSink = { begin: (t) => this.captureFor(t), message: (m) => this.reply(m) };
    this.client = new RespReader(true, clientSink);
    this.server = new RespReader(false, serverSink);
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.s.commands === 0 && this.s.replies === 0) this.fromHandshake = ctx.conn.handshakeDone;
    const r = isOrig ? this.client : this.server;
    if (r.broken) return;
    r.feed(buf, off, len);
    if (r.broken) this.damaged(ctx, r);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    this.ctx = ctx;
    (isOrig ? this.client : this.server).gap();
    // Replies can no longer be paired with their commands.
    if (!isOrig) this.flushPending();
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flushPending();
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  private damaged(ctx: AnalyzerContext, r: RespReader): void {
    if (!this.confirmed) {
      ctx.release();
      return;
    }
    const w = WEIRDS[r.status];
    if (w !== undefined) ctx.weird(w);
    if (r.status !== RESP_GAP && r === this.server) this.flushPending();
  }

  private confirm(): void {
    if (this.confirmed || this.ctx === null) return;
    const ctx = this.ctx;
    this.confirmed = true;
    const c = ctx.conn;
    const p = ctx.packet;
    this.s.tsSec = p.tsSec;
    this.s.tsNsec = p.tsNsec;
    this.s.packet = p.packetNo;
    this.s.server = respHost(c);
    this.s.server_p = c.rPort;
    ctx.confirm('redis');
  }

  /** What to keep of the next reply: INFO's text, HELLO's items. */
  private captureFor(type: number): number {
    if (type === T_ATTRIBUTE || type === T_PUSH || this.streaming) return CAPTURE_NONE;
    const p = this.pending[0];
    if (p === undefined || p.identity === null || this.identified) return CAPTURE_NONE;
    return p.identity === 'info' ? CAPTURE_TEXT : CAPTURE_ITEMS;
  }

  // ---- client ---------------------------------------------------------------------------------

  private command(m: RespMessage): void {
    const ctx = this.ctx!;
    let words: string[];
    if (m.type === T_INLINE) {
      words = inlineWords(m.text);
      if (words.length === 0) return;
      if (!ARG_COMMANDS.has(words[0].toUpperCase())) words = [words[0]];
    } else {
      // "*0" and "*-1" carry no command (Redis skips them).
      if (m.count === 0 || m.isNull) return;
      words = m.items;
    }
    const name = words.length > 0 ? commandName(words[0]) : null;
    const known = name !== null && COMMANDS.has(name);
    // An array of bulk strings naming a Redis command is Redis from the client's side alone.
    if (known && m.type !== T_INLINE && m.count > 0) this.confirm();
    this.s.commands++;
    const pk = ctx.packet;
    const rec: RedisCommand = { type: 'redis.command', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo, command: name ?? '?' };
    if (m.type === T_INLINE) rec.inline = true;
    const p: Pending = { rec, known, admin: null, cred: null, identity: null, moves: false };
    if (name !== null) this.readArgs(p, name, words.slice(1));
    if (this.streaming) {
      // Replies are no longer paired: the command is logged alone.
      this.finish(p);
      return;
    }
    if (this.pending.length >= MAX_PENDING) this.finish(this.pending.shift()!);
    this.pending.push(p);
  }

  /** The arguments the analyzer reads, then drops: subcommands, parameter names, users, passwords. */
  private readArgs(p: Pending, name: string, args: string[]): void {
    const rec = p.rec;
    if (CONTAINER_COMMANDS.has(name) && args.length > 0) {
      const sub = commandName(args[0]);
      if (sub !== null) rec.subcommand = sub;
    }
    let admin = ADMIN_COMMANDS.has(name);
    switch (name) {
      case 'AUTH':
        if (args.length >= 2) this.password(p, args[1], args[0], 'auth');
        else if (args.length === 1) this.password(p, args[0], '', 'auth');
        this.s.auth_attempts++;
        break;
      case 'HELLO': {
        p.identity = 'hello';
        const i = args.findIndex((a) => a.toUpperCase() === 'AUTH');
        if (i >= 0 && args[i + 2] !== undefined) {
          this.password(p, args[i + 2], args[i + 1], 'hello-auth');
          this.s.auth_attempts++;
        }
        break;
      }
      case 'INFO':
        p.identity = 'info';
        break;
      case 'MIGRATE': {
        const i = args.findIndex((a) => /^AUTH2?$/i.test(a));
        if (i >= 0) {
          const two = args[i].toUpperCase() === 'AUTH2';
          const pass = args[i + (two ? 2 : 1)];
          if (pass !== undefined) this.password(p, pass, two ? args[i + 1] : '', two ? 'migrate-auth2' : 'migrate-auth', args[0], Number(args[1]));
        }
        break;
      }
      case 'CONFIG':
        admin = this.config(p, rec.subcommand, args);
        break;
      case 'ACL':
        if (rec.subcommand === 'SETUSER' && args.length >= 2) {
          const user = paramName(args[1]);
          if (user !== null) rec.user = user;
          for (const rule of args.slice(2)) if (rule.startsWith('>') && rule.length > 1) this.password(p, rule.slice(1), args[1], 'acl-setuser');
        }
        break;
      case 'SLAVEOF':
      case 'REPLICAOF':
        if (args.length >= 2 && args[0].toUpperCase() === 'NO' && args[1].toUpperCase() === 'ONE') rec.subcommand = 'NO ONE';
        else if (args.length >= 2) p.admin = this.adminEvent(rec, { master_host: args[0].slice(0, 255), ...(/^\d{1,5}$/.test(args[1]) ? { master_port: Number(args[1]) } : {}) });
        break;
      case 'EVAL':
      case 'EVAL_RO':
        if (args.length > 0 && luaEscapes(args[0])) p.admin = this.adminEvent(rec, { lua_escape: true });
        break;
      case 'SCRIPT':
      case 'FUNCTION':
        if (rec.subcommand === 'LOAD' && args.length > 1 && luaEscapes(args[args.length - 1])) p.admin = this.adminEvent(rec, { lua_escape: true });
        break;
      case 'SAVE':
      case 'BGSAVE':
        if (this.movedDump) {
          admin = true;
          p.admin = this.adminEvent(rec, { writes_file: true });
        }
        break;
      case 'SHUTDOWN': {
        const sub = args.length > 0 ? commandName(args[0]) : null;
        if (sub !== null) rec.subcommand = sub;
        break;
      }
      default:
        break;
    }
    if (STREAMING_COMMANDS.has(name)) this.streaming = true;
    if (admin) {
      rec.admin = true;
      p.admin ??= this.adminEvent(rec, {});
    }
  }

  /** CONFIG GET/SET: parameter names kept; true when the SET touches files, passwords or protection. */
  private config(p: Pending, sub: string | undefined, args: string[]): boolean {
    const rec = p.rec;
    if (sub !== 'GET' && sub !== 'SET') return false;
    const params: string[] = [];
    let admin = false;
    let dirKind: string | undefined;
    const step = sub === 'SET' ? 2 : 1;
    for (let i = 1; i < args.length && params.length < MAX_PARAMS; i += step) {
      const n = paramName(args[i]);
      if (n === null) continue;
      const k = n.toLowerCase();
      params.push(k);
      if (sub !== 'SET') continue;
      const value = args[i + 1] ?? '';
      if (ADMIN_CONFIG_PARAMS.has(k)) admin = true;
      if (PASSWORD_CONFIG_PARAMS.has(k) && value !== '') this.password(p, value, k === 'requirepass' ? 'default' : '', `config-set-${k}`);
      if (k === 'dir') dirKind = dirKindOf(value);
      if (k === 'dir' || k === 'dbfilename') {
        this.movedDump = true;
        p.moves = true;
      }
    }
    if (params.length > 0) rec.params = params;
    if (admin) p.admin = this.adminEvent(rec, dirKind !== undefined ? { dir_kind: dirKind } : {});
    return admin;
  }

  private adminEvent(rec: RedisCommand, extra: Partial<RedisAdmin>): RedisAdmin {
    const ev: RedisAdmin = { type: 'redis.admin', tsSec: rec.tsSec, tsNsec: rec.tsNsec, packet: rec.packet, command: rec.command, ...extra };
    if (rec.subcommand !== undefined) ev.subcommand = rec.subcommand;
    if (rec.params !== undefined) ev.params = rec.params;
    return ev;
  }

  /** A password in the command: a keyed digest in a credential fact; the log says only that one went by. */
  private password(p: Pending, pass: string, user: string, mechanism: string, host?: string, port?: number): void {
    const ctx = this.ctx!;
    const c = ctx.conn;
    p.rec.has_password = true;
    const u = paramName(user) ?? '';
    if (u !== '' && p.rec.user === undefined) p.rec.user = u;
    if (p.cred !== null) return;
    const toOther = host !== undefined && host !== '';
    p.cred = {
      type: 'credential',
      protocol: 'redis',
      mechanism,
      user: u,
      password: REDACTED,
      secret: secretDigest(Buffer.from(pass, 'latin1')),
      host: toOther ? host.slice(0, 255) : respHost(c),
      host_p: toOther && Number.isInteger(port) ? port : c.rPort,
      client: origHost(c),
      packet: ctx.packet.packetNo,
    };
  }

  // ---- server ---------------------------------------------------------------------------------

  private reply(m: RespMessage): void {
    // An attribute precedes the reply it annotates; a push answers no command.
    if (m.type === T_ATTRIBUTE || m.type === T_PUSH) return;
    this.s.replies++;
    if (this.streaming && this.pending.length === 0) return;
    const p = this.pending.shift();
    if (p === undefined) return;
    if (p.known) this.confirm();
    const rec = p.rec;
    const error = m.type === T_ERROR || m.type === T_BLOB_ERROR;
    rec.success = !error;
    rec.reply = m.isNull ? 'null' : TYPE_NAMES[m.type];
    if (error) {
      const code = errorCode(m.text);
      if (code !== undefined) rec.error = code;
      if (code === 'NOAUTH') this.s.noauth = true;
    }
    if (p.cred !== null && (rec.command === 'AUTH' || rec.command === 'HELLO') && !error) {
      this.authed = true;
      this.s.auth_success = true;
    }
    if (!error && !this.authed && !this.s.noauth && this.fromHandshake && !CONNECTION_COMMANDS.has(rec.command) && p.known) this.s.unauthenticated_data++;
    if (!error && p.identity !== null && !this.identified) this.identity(p.identity, m);
    if (error && p.moves) this.movedDump = false;
    this.finish(p);
  }

  private identity(source: 'info' | 'hello', m: RespMessage): void {
    let id: ServerIdentity | null = null;
    if (source === 'info' && (m.type === T_BULK || m.type === T_VERBATIM)) id = parseInfo(m.text);
    else if (source === 'hello') id = parseHello(m.items);
    if (id === null) return;
    this.identified = true;
    const ctx = this.ctx!;
    ctx.emit({ type: 'redis.server', host: respHost(ctx.conn), host_p: ctx.conn.rPort, source, ...id, packet: ctx.packet.packetNo });
  }

  /** A command is done (replied, or never to be): its log line, admin and credential facts. */
  private finish(p: Pending): void {
    const ctx = this.ctx;
    if (ctx === null || !this.confirmed) return;
    const rec = p.rec;
    if (p.cred !== null) {
      if (rec.success !== undefined) p.cred.success = rec.success;
      ctx.emit(p.cred as { type: string });
    }
    if (p.admin !== null) {
      if (rec.success !== undefined) p.admin.success = rec.success;
      if (rec.error !== undefined) p.admin.error = rec.error;
      ctx.emit(p.admin);
    }
    if (this.logged >= MAX_LOGGED) {
      this.s.unlogged++;
      return;
    }
    this.logged++;
    ctx.emit(rec);
  }

  private flushPending(): void {
    while (this.pending.length > 0) this.finish(this.pending.shift()!);
  }
}

/** Where CONFIG SET dir points, as the write-a-file attacks aim it (the path itself is not kept). */
export function dirKindOf(path: string): string {
  if (/cron/i.test(path)) return 'cron';
  if (/\.ssh(\/|$)/.test(path)) return 'ssh';
  if (/\/(www|html|htdocs|public_html|wwwroot)(\/|$)|nginx|apache|httpd/i.test(path)) return 'web';
  return 'other';
}
