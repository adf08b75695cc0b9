// Per-flow IMAP state (RFC 9051): client commands are read line by line with literals spliced
// in (kept only for LOGIN, skipped by count otherwise, e.g. APPEND's message), server responses
// likewise skip their literals (FETCH bodies) without buffering. The login is followed through
// LOGIN and AUTHENTICATE (via SaslExchange) to its tagged OK/NO; STARTTLS accepted ends
// parsing. The session becomes one imap.session event.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { finishSasl, SaslExchange } from '../sasl.js';
import { secretDigest } from '../secret.js';
import { bannerProduct, latin1, LineCursor, MAX_BANNER, respHost, wireText } from '../textproto.js';
import type { ImapSession } from './events.js';
import { astrings, greetingText, KNOWN_COMMANDS, MAX_KEPT_LITERAL, MAX_LINE, parseCommand, parseResponse, quote, trailingLiteral } from './parse.js';
import { evictOldest } from '../../util/evict.js';

const MAX_PENDING = 64;
const MAX_USER = 256;
const MAX_BAD_LINES = 16;

export class ImapAnalyzer implements FlowAnalyzer {
  private readonly cur = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  /** Open commands by tag. */
  private readonly pending = new Map<string, string>();
  private sasl: SaslExchange | null = null;
  private saslTag = '';
  private done = false;
  private confirmed = false;
  private started = false;
  private badLines = 0;
  private emitted = false;
  /** Client: the command being assembled across literals, the literal left, and its kept bytes. */
  private cmdText = '';
  private cLit = 0;
  private cKeep: Uint8Array | null = null;
  private cKept = 0;
  /** Server: literal bytes left to skip, and whether the next line continues a response. */
  private sLit = 0;
  private sCont = false;
  /** Digest of a LOGIN password awaiting its tagged reply. */
  private loginSecret: string | null = null;
  private readonly s: ImapSession = { type: 'imap.session', tsSec: 0, tsNsec: 0, password_sent: false, auth_attempts: 0, tls: false };

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.done) return;
    if (!this.started) {
      this.started = true;
      this.s.tsSec = ctx.packet.tsSec;
      this.s.tsNsec = ctx.packet.tsNsec;
    }
    const cur = this.cur[isOrig ? 0 : 1];
    cur.load(buf, off, len);
    if (isOrig) this.client(ctx, cur);
    else this.server(ctx, cur);
    if (cur.overflows > 0) {
      ctx.weird('imap.line_too_long');
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    // After STARTTLS (or giving up) the bytes are not ours: a gap there means nothing.
    if (this.done) return;
    ctx.weird('imap.content_gap');
    if (isOrig) {
      if (this.cLit >= len) {
        this.cLit -= len;
        this.cKeep = null;
        return;
      }
      this.cLit = 0;
      this.cmdText = '';
    } else {
      if (this.sLit >= len) {
        this.sLit -= len;
        return;
      }
      this.sLit = 0;
      this.sCont = false;
    }
    this.cur[isOrig ? 0 : 1].reset();
  }

  end(ctx: AnalyzerContext): void {
    if (this.sasl !== null) this.finishAuth(ctx, undefined);
    this.emitSession(ctx);
  }

  private client(ctx: AnalyzerContext, cur: LineCursor): void {
    while (!this.done) {
      if (this.cLit > 0) {
        const start = cur.pos;
        const k = cur.skip(this.cLit);
        this.cLit -= k;
        if (this.cKeep !== null) {
          const n = Math.min(k, this.cKeep.length - this.cKept);
          this.cKeep.set(cur.b.subarray(start, start + n), this.cKept);
          this.cKept += n;
        }
        if (this.cLit > 0) return;
        this.cmdText += this.cKeep !== null ? quote(latin1(this.cKeep, 0, this.cKept)) : '""';
        this.cKeep = null;
        continue;
      }
      const line = cur.line();
      if (line === null) return;
      if (this.sasl !== null && this.cmdText === '') {
        this.sasl.response(line);
        continue;
      }
      const lit = trailingLiteral(line);
      if (lit >= 0) {
        const head = line.slice(0, line.lastIndexOf('{'));
        if (this.cmdText.length + head.length > MAX_LINE) {
          ctx.weird('imap.command_too_long');
          this.cmdText = '';
          this.cLit = lit;
          this.cKeep = null;
          continue;
        }
        this.cmdText += head;
        this.cLit = lit;
        // Only LOGIN's arguments are worth keeping; anything else is skipped by count.
        const c = parseCommand(this.cmdText + 'x');
        this.cKeep = c !== null && c.cmd === 'LOGIN' && lit <= MAX_KEPT_LITERAL ? new Uint8Array(lit) : null;
        this.cKept = 0;
        if (lit === 0) this.cmdText += '""';
        continue;
      }
      const full = this.cmdText + line;
      this.cmdText = '';
      this.command(ctx, full);
    }
  }

  private command(ctx: AnalyzerContext, line: string): void {
    if (line === '' || /^DONE$/i.test(line)) return;
    const c = parseCommand(line);
    if (c === null) {
      ctx.weird('imap.bad_command');
      if (++this.badLines >= MAX_BAD_LINES) this.done = true;
      return;
    }
    const s = this.s;
    if (c.cmd === 'LOGIN') {
      const a = astrings(c.args, 2);
      s.auth_method = 'LOGIN';
      s.auth_attempts++;
      if (a !== null && a.length >= 1) s.user = wireText(a[0]).slice(0, MAX_USER);
      if (a !== null && a.length === 2) {
        // The password is digested here and dropped.
        this.loginSecret = secretDigest(Buffer.from(a[1], 'latin1'));
        s.password_sent = true;
      }
    } else if (c.cmd === 'AUTHENTICATE') {
      const m = /^(\S+)(?: (\S+))?/.exec(c.args);
      if (m !== null) {
        this.sasl = new SaslExchange(m[1], m[2]);
        this.saslTag = c.tag;
        s.auth_method = this.sasl.mech;
        s.auth_attempts++;
      }
    }
    if (this.pending.size >= MAX_PENDING) {
      ctx.weird('imap.too_many_pending_commands');
      evictOldest(this.pending);
    }
    this.pending.set(c.tag, c.cmd);
  }

  private server(ctx: AnalyzerContext, cur: LineCursor): void {
    while (!this.done) {
      if (this.sLit > 0) {
        this.sLit -= cur.skip(this.sLit);
        if (this.sLit > 0) return;
        continue;
      }
      const line = cur.line();
      if (line === null) return;
      const lit = trailingLiteral(line);
      const cont = this.sCont;
      this.sCont = lit >= 0;
      if (lit >= 0) this.sLit = lit;
      // A line after a literal continues the same response: nothing new starts there.
      if (!cont) this.response(ctx, line);
    }
  }

  private response(ctx: AnalyzerContext, line: string): void {
    const r = parseResponse(line);
    if (r === null) {
      if (line !== '') ctx.weird('imap.bad_response');
      return;
    }
    const s = this.s;
    if (r.kind === 'continue') {
      if (this.sasl !== null) this.sasl.challenge(r.text);
      return;
    }
    if (r.kind === 'untagged') {
      if (s.banner === undefined && (r.status === 'OK' || r.status === 'PREAUTH') && this.pending.size === 0) {
        s.banner = wireText(greetingText(r.text)).slice(0, MAX_BANNER);
        if (/IMAP/i.test(r.text)) this.confirm(ctx);
        const product = bannerProduct(s.banner);
        if (product !== null) ctx.emit({ type: 'software', host: respHost(ctx.conn), host_p: ctx.conn.rPort, software_type: 'IMAP::SERVER', unparsed_version: product });
      }
      return;
    }
    const cmd = this.pending.get(r.tag);
    if (cmd === undefined) return;
    this.pending.delete(r.tag);
    if (KNOWN_COMMANDS.has(cmd)) this.confirm(ctx);
    const ok = r.status === 'OK';
    if (cmd === 'LOGIN') {
      s.success = ok;
      if (this.loginSecret !== null) ctx.emit({ type: 'credential', protocol: 'imap', user: s.user ?? '', secret: this.loginSecret, success: ok });
      this.loginSecret = null;
    } else if (cmd === 'AUTHENTICATE' && this.sasl !== null && r.tag === this.saslTag) {
      this.finishAuth(ctx, ok);
    } else if (cmd === 'STARTTLS' && ok) {
      s.tls = true;
      ctx.emit({ type: 'imap.starttls' });
      this.emitSession(ctx);
      this.done = true;
    }
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('imap');
  }

  private finishAuth(ctx: AnalyzerContext, ok: boolean | undefined): void {
    const a = this.sasl!;
    this.sasl = null;
    finishSasl(ctx, 'imap', a, this.s, ok);
  }

  private emitSession(ctx: AnalyzerContext): void {
    if (this.emitted || (!this.confirmed && this.s.banner === undefined)) return;
    this.emitted = true;
    const ev: ImapSession = { ...this.s };
    for (const k of Object.keys(ev)) if (ev[k] === undefined) delete ev[k];
    ctx.emit(ev);
  }
}
