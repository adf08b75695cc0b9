// Per-flow POP3 state (RFC 1939): commands queue until their status line; multi-line responses
// (RETR, TOP, LIST, UIDL, CAPA) are skipped to their lone "." without buffering; the login is
// followed through USER/PASS, APOP and AUTH (RFC 5034, via SaslExchange); STLS accepted
// (RFC 2595) ends parsing. The session becomes one pop3.session event.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { finishSasl, SaslExchange } from '../sasl.js';
import { secretDigest } from '../secret.js';
import { bannerProduct, LineCursor, MAX_BANNER, respHost, wireText } from '../textproto.js';
import type { Pop3Session } from './events.js';
import { isMultiLine, KNOWN_COMMANDS, MAX_LINE, parseCommand, parseResponse } from './parse.js';

const MAX_PENDING = 64;
const MAX_USER = 256;
const MAX_BAD_LINES = 16;
const DOT = 0x2e;

interface Pending {
  cmd: string;
  arg: string;
}

export class Pop3Analyzer implements FlowAnalyzer {
  private readonly cur = [new LineCursor(MAX_LINE), new LineCursor(MAX_LINE)];
  private readonly pending: Pending[] = [];
  private sasl: SaslExchange | null = null;
  /** Server side is inside a multi-line response. */
  private multi = false;
  private done = false;
  private confirmed = false;
  private started = false;
  private badLines = 0;
  private readonly s: Pop3Session = { type: 'pop3.session', tsSec: 0, tsNsec: 0, password_sent: false, auth_attempts: 0, tls: false };
  /** Digest of the PASS argument awaiting its reply (never the password itself). */
  private passSecret: string | null = null;
  private emitted = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.done) return;
    if (!this.started) {
      this.started = true;
      this.s.tsSec = ctx.packet.tsSec;
      this.s.tsNsec = ctx.packet.tsNsec;
    }
    const cur = this.cur[isOrig ? 0 : 1];
    cur.load(buf, off, len);
    while (!this.done) {
      if (!isOrig && this.multi) {
        // Inside a multi-line response only the terminating "." matters (RFC 1939 §3).
        const lb = cur.lineBytes();
        if (lb === null) break;
        if (lb.length === 1 && lb[0] === DOT) this.multi = false;
        continue;
      }
      const line = cur.line();
      if (line === null) break;
      if (isOrig) this.clientLine(ctx, line);
      else this.serverLine(ctx, line);
    }
    if (cur.overflows > 0) {
      if (!this.multi || isOrig) ctx.weird('pop3.line_too_long');
      cur.overflows = 0;
    }
    cur.save();
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    // After STARTTLS (or giving up) the bytes are not ours: a gap there means nothing.
    if (this.done) return;
    ctx.weird('pop3.content_gap');
    this.cur[isOrig ? 0 : 1].reset();
  }

  end(ctx: AnalyzerContext): void {
    if (this.sasl !== null) this.finishAuth(ctx, undefined);
    this.emitSession(ctx);
  }

  private clientLine(ctx: AnalyzerContext, line: string): void {
    if (this.sasl !== null) {
      this.sasl.response(line);
      return;
    }
    if (line === '') return;
    const c = parseCommand(line);
    if (c === null) {
      ctx.weird('pop3.bad_command');
      if (++this.badLines >= MAX_BAD_LINES) this.done = true;
      return;
    }
    const s = this.s;
    switch (c.cmd) {
      case 'USER':
        s.user = wireText(c.arg).slice(0, MAX_USER);
        break;
      case 'PASS':
        // The argument is digested here and dropped.
        this.passSecret = secretDigest(c.arg);
        s.password_sent = true;
        s.auth_method = 'USER';
        s.auth_attempts++;
        break;
      case 'APOP': {
        const sp = c.arg.indexOf(' ');
        s.user = wireText(sp < 0 ? c.arg : c.arg.slice(0, sp)).slice(0, MAX_USER);
        s.auth_method = 'APOP';
        s.auth_attempts++;
        break;
      }
      case 'AUTH':
        if (c.arg !== '') {
          const sp = c.arg.indexOf(' ');
          const mech = sp < 0 ? c.arg : c.arg.slice(0, sp);
          this.sasl = new SaslExchange(mech, sp < 0 ? undefined : c.arg.slice(sp + 1));
          s.auth_method = this.sasl.mech;
          s.auth_attempts++;
        }
        break;
    }
    if (this.pending.length >= MAX_PENDING) {
      ctx.weird('pop3.too_many_pending_commands');
      this.pending.shift();
    }
    this.pending.push({ cmd: c.cmd, arg: c.arg });
  }

  private serverLine(ctx: AnalyzerContext, line: string): void {
    const r = parseResponse(line);
    if (r === null) {
      if (line !== '') ctx.weird('pop3.bad_response');
      return;
    }
    if (r.status === '+') {
      this.sasl?.challenge(r.text);
      return;
    }
    const p = this.pending.shift();
    const ok = r.status === '+OK';
    if (p === undefined) {
      // The greeting (RFC 1939 §4) answers no command.
      if (this.s.banner === undefined) {
        this.s.banner = wireText(r.text).slice(0, MAX_BANNER);
        if (ok && /POP/i.test(r.text) && !this.confirmed) {
          this.confirmed = true;
          ctx.confirm('pop3');
        }
        const product = bannerProduct(this.s.banner);
        if (product !== null) ctx.emit({ type: 'software', host: respHost(ctx.conn), host_p: ctx.conn.rPort, software_type: 'POP3::SERVER', unparsed_version: product });
      }
      return;
    }
    if (!this.confirmed && KNOWN_COMMANDS.has(p.cmd)) {
      this.confirmed = true;
      ctx.confirm('pop3');
    }
    if (ok && isMultiLine(p.cmd, p.arg)) this.multi = true;
    const s = this.s;
    switch (p.cmd) {
      case 'PASS':
        s.success = ok;
        if (this.passSecret !== null) ctx.emit({ type: 'credential', protocol: 'pop3', user: s.user ?? '', secret: this.passSecret, success: ok });
        this.passSecret = null;
        break;
      case 'APOP':
        s.success = ok;
        break;
      case 'AUTH':
        if (this.sasl !== null) this.finishAuth(ctx, ok);
        break;
      case 'STLS':
        if (ok) {
          s.tls = true;
          ctx.emit({ type: 'pop3.starttls' });
          this.emitSession(ctx);
          this.done = true;
        }
        break;
    }
  }

  private finishAuth(ctx: AnalyzerContext, ok: boolean | undefined): void {
    const a = this.sasl!;
    this.sasl = null;
    finishSasl(ctx, 'pop3', a, this.s, ok);
  }

  private emitSession(ctx: AnalyzerContext): void {
    if (this.emitted || (!this.confirmed && this.s.banner === undefined)) return;
    this.emitted = true;
    const s = this.s;
    const ev: Pop3Session = { ...s };
    for (const k of Object.keys(ev)) if (ev[k] === undefined) delete ev[k];
    ctx.emit(ev);
  }
}
