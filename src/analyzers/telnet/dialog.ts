// The login dialog of an interactive terminal session (Telnet, rlogin): the server prints a
// prompt, the client types a line. There is no protocol field for "user" or "password" here,
// so this follows the text the way Zeek's login analyzer does (login prompts, password
// prompts, failure and success messages, a shell prompt), one attempt at a time. The typed
// password exists only inside clientLine until its line ends; then only a digest remains.
import type { AnalyzerContext } from '../types.js';
import { secretDigest } from '../secret.js';
import { MAX_BANNER } from '../textproto.js';

/** Server text kept to look for prompts and messages (the tail since the client's last line). */
const MAX_TAIL = 512;
/** Longest line a client types that is taken as a user name or password. */
const MAX_TYPED = 256;
/** Attempts logged per connection (a brute force is still visible through its count). */
const MAX_ATTEMPTS = 32;
/** Server text read without any prompt before the session is taken as not a login dialog. */
const MAX_TEXT_WITHOUT_PROMPT = 64 * 1024;

const USER_PROMPT = /(?:^|[\s\]>])(?:login|username|user name|user|name|login id|account)\s*:\s*$/i;
const PASS_PROMPT = /(?:password|passcode|passwd|pass phrase)\s*(?:for [^:]{1,64})?:\s*$/i;
const FAILURE = /login incorrect|incorrect password|password incorrect|invalid (?:login|password|user|credentials)|authentication fail|login failed|access denied|permission denied|bad password|logon failure|\bincorrect\b|\bfailed\b/i;
const SUCCESS = /last (?:successful )?login|you have (?:new )?mail|welcome to|logged in|\blogin successful/i;
/** A shell or device prompt at the end of the output: "user@host:~$ ", "# ", "Router>" … */
const SHELL_PROMPT = /(?:[$#%>]|\$ |# |> )\s*$/;

const BS = 0x08;
const DEL = 0x7f;
const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

const ST_IDLE = 0;
const ST_USER = 1;
/** A user name was typed: a password prompt or the outcome follows. */
const ST_AFTER_USER = 2;
const ST_PASS = 3;
/** A password was typed: the outcome follows. */
const ST_RESULT = 4;

interface Attempt {
  tsSec: number;
  tsNsec: number;
  packet: number;
  user?: string;
  secret?: string;
}

export class LoginDialog {
  private state = ST_IDLE;
  private tail = '';
  private line: number[] = [];
  private lastWasCr = false;
  private attempt: Attempt | null = null;
  private attempts = 0;
  /** A user name the protocol itself carried (rlogin handshake, Telnet NEW-ENVIRON USER). */
  presetUser?: string;
  serverBanner?: string;
  clientBanner?: string;
  /** rlogin: the user name on the client host. */
  clientUser?: string;
  /** Set once any prompt was seen: the session is a login dialog. */
  sawPrompt = false;
  private bannerLine = '';
  /** After a successful login the rest is the user's session: no longer read. */
  private finished = false;
  private seen = 0;

  constructor(private readonly service: string) {}

  /** Text the server printed (protocol commands already removed). */
  server(ctx: AnalyzerContext, b: Uint8Array, off: number, len: number): void {
    if (this.finished) return;
    this.seen += len;
    if (!this.sawPrompt && this.seen > MAX_TEXT_WITHOUT_PROMPT) {
      this.finished = true;
      return;
    }
    let s = '';
    for (let i = off; i < off + len; i++) {
      const c = b[i];
      if (c === NUL) continue;
      s += String.fromCharCode(c);
    }
    if (s === '') return;
    if (this.serverBanner === undefined) this.takeBanner(s);
    this.tail = (this.tail + s).slice(-MAX_TAIL);
    this.look(ctx);
  }

  private takeBanner(s: string): void {
    for (const ch of s) {
      if (ch === '\n' || ch === '\r') {
        const t = this.bannerLine.trim();
        this.bannerLine = '';
        if (t !== '' && !USER_PROMPT.test(t) && !PASS_PROMPT.test(t)) {
          this.serverBanner = t.slice(0, MAX_BANNER);
          return;
        }
      } else if (this.bannerLine.length < MAX_BANNER) this.bannerLine += ch;
    }
    // A prompt before any other line means there is no banner.
    if (USER_PROMPT.test(this.bannerLine) || PASS_PROMPT.test(this.bannerLine)) this.serverBanner = '';
  }

  private look(ctx: AnalyzerContext): void {
    if (this.state === ST_RESULT || this.state === ST_AFTER_USER) {
      const f = FAILURE.exec(this.tail);
      if (f !== null) {
        // The next prompt often follows in the same output ("Login incorrect\r\nlogin: ").
        const rest = this.tail.slice(f.index + f[0].length);
        this.finish(ctx, false);
        this.tail = rest;
      } else if (SUCCESS.test(this.tail) || (SHELL_PROMPT.test(this.tail) && !USER_PROMPT.test(this.tail) && !PASS_PROMPT.test(this.tail))) {
        this.finish(ctx, true);
        return;
      }
    }
    const t = this.tail;
    if (PASS_PROMPT.test(t)) {
      this.sawPrompt = true;
      if (this.state === ST_PASS) return;
      let user = this.attempt?.user;
      // Asked for a password again without a login prompt: the last one was refused.
      if (this.state === ST_RESULT) {
        user = this.attempt?.user;
        this.finish(ctx, false);
      }
      if (this.attempt === null) this.begin(ctx);
      this.attempt!.user ??= user ?? this.presetUser;
      this.state = ST_PASS;
    } else if (USER_PROMPT.test(t)) {
      this.sawPrompt = true;
      if (this.state === ST_USER) return;
      // A new login prompt after a password means the last attempt was refused.
      if (this.state === ST_RESULT) this.finish(ctx, false);
      else if (this.attempt !== null && this.attempt.user !== undefined) this.finish(ctx, undefined);
      this.begin(ctx);
      this.state = ST_USER;
    }
  }

  private begin(ctx: AnalyzerContext): void {
    const m = ctx.packet;
    this.attempt = { tsSec: m.tsSec, tsNsec: m.tsNsec, packet: m.packetNo };
  }

  /**
   * The protocol already named the user (rlogin's handshake): the attempt starts now, and a
   * password prompt or the outcome follows.
   */
  startWithUser(ctx: AnalyzerContext, user: string): void {
    this.begin(ctx);
    this.attempt!.user = user;
    this.presetUser = user;
    this.state = ST_AFTER_USER;
  }

  /** Bytes the client typed (protocol commands already removed). */
  client(ctx: AnalyzerContext, b: Uint8Array, off: number, len: number): void {
    if (this.finished) return;
    for (let i = off; i < off + len; i++) {
      const c = b[i];
      // Telnet ends a line with CR LF or CR NUL (RFC 854); terminals may send a bare CR or LF.
      if (c === LF && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      if (c === NUL && this.lastWasCr) {
        this.lastWasCr = false;
        continue;
      }
      this.lastWasCr = c === CR;
      if (c === CR || c === LF) this.lineDone(ctx);
      else if (c === BS || c === DEL) this.line.pop();
      else if (c >= 0x20 && this.line.length < MAX_TYPED) this.line.push(c);
    }
  }

  private lineDone(ctx: AnalyzerContext): void {
    const bytes = Uint8Array.from(this.line);
    this.line = [];
    this.tail = '';
    if (this.state === ST_USER) {
      const u = Buffer.from(bytes).toString('utf8').trim();
      if (u === '') return;
      this.attempt!.user = u;
      this.state = ST_AFTER_USER;
    } else if (this.state === ST_PASS) {
      this.attempt!.secret = secretDigest(bytes);
      this.state = ST_RESULT;
    }
  }

  private finish(ctx: AnalyzerContext, success: boolean | undefined): void {
    const a = this.attempt;
    this.attempt = null;
    this.state = ST_IDLE;
    this.tail = '';
    if (success === true) this.finished = true;
    if (a === null || (a.user === undefined && a.secret === undefined)) return;
    if (++this.attempts > MAX_ATTEMPTS) {
      if (this.attempts === MAX_ATTEMPTS + 1) ctx.weird(`${this.service}.too_many_login_attempts`);
      return;
    }
    const ev: Record<string, unknown> = {
      type: 'login.attempt',
      tsSec: a.tsSec,
      tsNsec: a.tsNsec,
      packet: a.packet,
      service: this.service,
      password_sent: a.secret !== undefined,
    };
    if (a.user !== undefined) ev.user = a.user;
    if (success !== undefined) ev.success = success;
    if (this.clientUser !== undefined) ev.client_user = this.clientUser;
    if (this.clientBanner !== undefined) ev.client_banner = this.clientBanner;
    if (this.serverBanner !== undefined && this.serverBanner !== '') ev.server_banner = this.serverBanner;
    ctx.emit(ev as { type: string });
    if (a.secret !== undefined) {
      const cred: Record<string, unknown> = { type: 'credential', protocol: this.service, user: a.user ?? '', secret: a.secret };
      if (success !== undefined) cred.success = success;
      ctx.emit(cred as { type: string });
    }
  }

  /** Connection end: an attempt still open is logged with an unknown outcome. */
  end(ctx: AnalyzerContext): void {
    this.finish(ctx, undefined);
  }
}
