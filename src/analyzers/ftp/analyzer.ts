// Per-flow FTP control state (RFC 959): commands queue until their final reply (1xx replies are
// preliminary, §4.2), multi-line replies are joined, the login is followed (USER/PASS → 230 or
// 530), the working directory is tracked for file URLs, and every data connection announced by
// PORT/EPRT or a 227/229 reply becomes an `ftp.expect` event. AUTH TLS accepted (234, RFC 4217)
// ends parsing: what follows is TLS.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { secretDigest } from '../secret.js';
import { bannerProduct, LineCursor, origHost, respHost, wireText } from '../textproto.js';
import type { FtpCommandEvent, FtpDataLink } from './events.js';
import {
  FILE_COMMANDS,
  MAX_LINE,
  extractPath,
  ftpUrl,
  lastCount,
  parseCommand,
  parseEprtArg,
  parseEpsvReply,
  parsePasvReply,
  parsePortArg,
  parseReplyLine,
} from './parse.js';

/** Zeek's max_pending_commands. */
const MAX_PENDING = 20;
/** Zeek's max_user_length. */
const MAX_USER = 128;
/** Longest argument or reply text in an event. */
const MAX_TEXT = 4096;
/** Lines of a multi-line reply kept (the rest only counted). */
const MAX_REPLY_LINES = 64;
/** A client that is not speaking FTP: this many unparsable lines and the flow is left alone. */
const MAX_BAD_LINES = 16;

const REPLY_LOGGED_IN = 230;
const REPLY_AUTH_OK = 234;
const REPLY_PASV = 227;
const REPLY_EPSV = 229;
const REPLY_FILE_STATUS = 213;
const REPLY_OPENING = 150;
/** Commands that move data over the data connection (RFC 959 §4.1.3, RFC 3659 MLSD). */
const TRANSFER_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'LIST', 'NLST', 'MLSD']);
const REPLY_READY = 220;
/** Codes a server greets with (RFC 959 §5.4): 220 ready, 120 ready soon, 421 not available. */
const GREETING_CODES = new Set([120, 220, 421]);
const TELNET_PREFIX = /^(?:\xff[\xf0-\xfe])+/;

interface Pending {
  cmd: string;
  arg: string;
  tsSec: number;
  tsNsec: number;
  packet: number;
  fileSize?: number;
  dataChannel?: { passive: boolean; orig_h: string; resp_h: string; resp_p: number };
  /** A transfer command: the data connection announced before it, whose file it logs. */
  link?: FtpDataLink;
}

export class FtpAnalyzer implements FlowAnalyzer {
  private readonly cur = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  private readonly pending: Pending[] = [];
  private user = '';
  private passwordSent = false;
  /** The data connection announced last (PASV/EPSV reply, PORT/EPRT), for the next transfer. */
  private channel: FtpDataLink | null = null;
  /** Keyed digest of the last PASS argument (never the password itself). */
  private passSecret = '';
  private cwd = '.';
  private confirmed = false;
  private done = false;
  private badLines = 0;
  /** The multi-line reply being read: its code and lines so far. */
  private multiCode = 0;
  private multiLines = 0;
  private bannerSeen = false;

  constructor() {
    // Zeek's shim: the server's greeting answers a command nobody sent.
    this.pending.push({ cmd: '<init>', arg: '', tsSec: 0, tsNsec: 0, packet: 0 });
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.done) return;
    const cur = this.cur[isOrig ? 0 : 1];
    cur.load(buf, off, len);
    let line: string | null;
    while (!this.done && (line = cur.line()) !== null) {
      if (isOrig) this.command(ctx, line);
      else this.reply(ctx, line);
    }
    if (cur.overflows > 0) {
      ctx.weird('ftp.line_too_long');
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    // After STARTTLS (or giving up) the bytes are not ours: a gap there means nothing.
    if (this.done) return;
    ctx.weird('ftp.content_gap');
    this.cur[isOrig ? 0 : 1].reset();
    if (!isOrig) this.multiCode = 0;
  }

  end(ctx: AnalyzerContext): void {
    // Commands that never got a reply are still worth a line (Zeek's finalize_ftp).
    for (const p of this.pending.splice(0)) if (p.cmd !== '<init>') this.emitCommand(ctx, p, undefined, undefined);
  }

  private command(ctx: AnalyzerContext, raw: string): void {
    // RFC 959 §4.1.3: ABOR may be preceded by Telnet IP and Synch (IAC IP IAC DM).
    const line = raw.replace(TELNET_PREFIX, '');
    if (line === '') return;
    const m = ctx.packet;
    const c = parseCommand(line);
    if (c === null) {
      ctx.weird('ftp.bad_command');
      if (++this.badLines >= MAX_BAD_LINES) this.done = true;
      return;
    }
    const p: Pending = { cmd: c.cmd, arg: c.arg.slice(0, MAX_TEXT), tsSec: m.tsSec, tsNsec: m.tsNsec, packet: m.packetNo };
    const conn = ctx.conn;
    switch (c.cmd) {
      case 'USER':
        this.user = wireText(c.arg).slice(0, MAX_USER);
        break;
      case 'PASS':
        // Only a digest survives this line; the argument is dropped here.
        this.passwordSent = true;
        this.passSecret = secretDigest(c.arg);
        p.arg = '';
        break;
      case 'PORT':
      case 'EPRT': {
        const hp = c.cmd === 'PORT' ? parsePortArg(c.arg) : parseEprtArg(c.arg);
        if (hp === null) ctx.weird('ftp.bad_port');
        else {
          // RFC 2577 §3: a PORT naming a host other than the client points the server's data
          // connection at a third party (the "bounce" attack).
          if (hp.host !== origHost(conn)) ctx.weird('ftp.port_bounce');
          // Active mode: the server connects from its side to the client's address.
          p.dataChannel = { passive: false, orig_h: respHost(conn), resp_h: hp.host, resp_p: hp.port };
          this.expect(ctx, p.dataChannel);
        }
        break;
      }
      case 'CLNT':
        if (c.arg !== '') ctx.emit({ type: 'software', host: origHost(conn), software_type: 'FTP::CLIENT', unparsed_version: c.arg.slice(0, 200) });
        break;
    }
    if (this.pending.length >= MAX_PENDING) {
      ctx.weird('ftp.too_many_pending_commands');
      return;
    }
    // A command that moves data takes the channel announced before it.
    if (TRANSFER_COMMANDS.has(p.cmd) && this.channel !== null) {
      p.link = this.channel;
      this.channel = null;
    }
    this.pending.push(p);
  }

  private reply(ctx: AnalyzerContext, line: string): void {
    const r = parseReplyLine(line);
    // A capture that starts after the greeting: the first reply answers a real command.
    if (this.multiCode === 0 && r.code !== 0 && this.pending[0]?.cmd === '<init>' && !GREETING_CODES.has(r.code)) this.pending.shift();
    if (this.multiCode !== 0) {
      // Inside a multi-line reply: only "<same code><SP>" ends it (RFC 959 §4.2).
      if (r.code !== this.multiCode || r.sep !== ' ') {
        this.multiLines++;
        return;
      }
      this.multiCode = 0;
      this.multiLines = 0;
    } else if (r.code === 0) {
      if (line !== '') ctx.weird('ftp.bad_reply');
      return;
    } else if (r.sep === '-') {
      this.multiCode = r.code;
      this.multiLines = 1;
      if (this.pending[0]?.cmd === '<init>' || !this.bannerSeen) this.banner(ctx, r.code, r.text);
      // The first line carries what a PASV/EPSV/150 reply means; later lines are prose.
      this.firstLine(ctx, r.code, r.text);
      return;
    }
    if (this.multiLines > MAX_REPLY_LINES) ctx.weird('ftp.long_multiline_reply');
    this.final(ctx, r.code, r.text);
  }

  private banner(ctx: AnalyzerContext, code: number, text: string): void {
    if (this.bannerSeen || code !== REPLY_READY) return;
    this.bannerSeen = true;
    const product = bannerProduct(wireText(text));
    if (product !== null) ctx.emit({ type: 'software', host: respHost(ctx.conn), host_p: ctx.conn.rPort, software_type: 'FTP::SERVER', unparsed_version: product });
  }

  /** What a reply's first line tells about the command at the head of the queue. */
  private firstLine(ctx: AnalyzerContext, code: number, text: string): void {
    const p = this.pending[0];
    if (p === undefined) return;
    const conn = ctx.conn;
    if ((code === REPLY_OPENING && p.cmd === 'RETR') || (code === REPLY_FILE_STATUS && p.cmd === 'SIZE')) {
      const n = lastCount(text);
      if (n !== null) p.fileSize = n;
    } else if ((code === REPLY_PASV && p.cmd === 'PASV') || (code === REPLY_EPSV && p.cmd === 'EPSV')) {
      let host: string | null = null;
      let port: number | null = null;
      if (code === REPLY_PASV) {
        const hp = parsePasvReply(text);
        if (hp !== null) {
          host = hp.host;
          port = hp.port;
        }
      } else {
        port = parseEpsvReply(text);
        host = respHost(conn);
      }
      if (host === null || port === null) ctx.weird('ftp.bad_pasv_reply');
      else {
        p.dataChannel = { passive: true, orig_h: origHost(conn), resp_h: host, resp_p: port };
        this.expect(ctx, p.dataChannel);
      }
    }
  }

  private final(ctx: AnalyzerContext, code: number, text: string): void {
    if (this.multiLines === 0) {
      // A one-line reply: its only line is also its first.
      if (this.pending[0]?.cmd === '<init>' || !this.bannerSeen) this.banner(ctx, code, text);
      this.firstLine(ctx, code, text);
    }
    // 1xx replies are preliminary: the command waits for its completion reply.
    if (code < 200) return;
    const p = this.pending.shift();
    if (p === undefined) {
      ctx.weird('ftp.unmatched_reply');
      return;
    }
    if (!this.confirmed && p.cmd !== '<init>') {
      this.confirmed = true;
      ctx.confirm('ftp');
    }
    const msg = wireText(text).slice(0, MAX_TEXT);
    if (p.cmd === 'PWD' || p.cmd === 'XPWD') {
      if (code === 257) {
        const path = extractPath(msg);
        if (path !== null) this.cwd = path;
      }
    } else if ((p.cmd === 'CWD' || p.cmd === 'XCWD') && code === 250) this.cwd = cwdJoin(this.cwd, p.arg);
    else if (p.cmd === 'CDUP' && (code === 200 || code === 250)) this.cwd = cwdJoin(this.cwd, '..');
    if (p.cmd === '<init>' && p.tsSec === 0) {
      p.tsSec = ctx.packet.tsSec;
      p.tsNsec = ctx.packet.tsNsec;
      p.packet = ctx.packet.packetNo;
    }
    // The login ends with the reply to PASS, or to USER when that already decides it (230
    // without a password, or a refusal such as "anonymous only").
    if (p.cmd === 'PASS' || (p.cmd === 'USER' && (code === REPLY_LOGGED_IN || code >= 400))) {
      const success = code >= 200 && code < 300;
      if (p.cmd === 'PASS') {
        const ev: Record<string, unknown> = { type: 'credential', protocol: 'ftp', user: this.user, secret: this.passSecret };
        if (success) ev.success = true;
        else if (code >= 400) ev.success = false;
        ctx.emit(ev as { type: string });
      }
      ctx.emit({ type: 'ftp.login', user: this.user, success, reply_code: code, password_sent: p.cmd === 'PASS' });
    }
    this.emitCommand(ctx, p, code, msg);
    if (p.cmd === 'AUTH' && code === REPLY_AUTH_OK) {
      ctx.emit({ type: 'ftp.starttls' });
      this.done = true;
    }
  }

  private expect(ctx: AnalyzerContext, d: { passive: boolean; orig_h: string; resp_h: string; resp_p: number }): void {
    const m = ctx.packet;
    // The next transfer command uses this channel (one data connection per transfer, RFC 959 §3.2).
    const link: FtpDataLink = {};
    this.channel = link;
    ctx.emit({ type: 'ftp.expect', orig_h: d.orig_h, host: d.resp_h, port: d.resp_p, passive: d.passive, tsSec: m.tsSec, link });
  }

  private emitCommand(ctx: AnalyzerContext, p: Pending, code: number | undefined, msg: string | undefined): void {
    const ev: FtpCommandEvent = {
      type: 'ftp.command',
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      packet: p.packet,
      user: this.user === '' ? '<unknown>' : this.user,
      password_sent: this.passwordSent,
      command: p.cmd,
    };
    if (p.cmd === 'PASS') ev.arg = '<redacted>';
    else if (FILE_COMMANDS.has(p.cmd) && p.arg !== '') ev.arg = ftpUrl(respHost(ctx.conn), this.cwd, wireText(p.arg));
    else if (p.arg !== '') ev.arg = wireText(p.arg);
    if (p.fileSize !== undefined) ev.file_size = p.fileSize;
    if (code !== undefined) ev.reply_code = code;
    if (msg !== undefined) ev.reply_msg = msg;
    if (p.dataChannel !== undefined) ev.data_channel = p.dataChannel;
    if (p.link?.fuid !== undefined) {
      ev.fuid = p.link.fuid;
      if (p.link.mime_type !== undefined) ev.mime_type = p.link.mime_type;
    }
    ctx.emit(ev);
  }
}

/** CWD changes the directory relative to the current one (absolute arguments replace it). */
function cwdJoin(cwd: string, arg: string): string {
  if (arg.startsWith('/')) return arg;
  return cwd + (cwd.endsWith('/') ? '' : '/') + arg;
}
