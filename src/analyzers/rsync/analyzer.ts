// Per-connection rsync daemon state: each direction is read as text until the binary protocol
// begins (the daemon's "@RSYNCD: OK" on its side; the empty argument that ends the client's
// arguments on the other) or the daemon closes a list ("@RSYNCD: EXIT"). Lines and arguments
// are bounded; what follows is not read. One rsync.session when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary, respHost } from '../connid.js';
import { LineCursor, latin1 } from '../textproto.js';
import type { RsyncSession } from './events.js';
import { parseGreeting, parseModuleLine } from './parse.js';

const MAX_LINE = 4096;
const MAX_TOKENS = 256;
const MAX_MODULES = 64;
const MAX_PATHS = 8;

class Side {
  readonly lines = new LineCursor(MAX_LINE);
  /** Past the text phase: nothing more is read. */
  done = false;
  tokens = 0;
  major = 0;
}

export class RsyncAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private confirmed = false;
  /** The client named its module (or asked for the list): what it sends next is auth or arguments. */
  private asked = false;
  private inArgs = false;
  private afterDot = false;
  private readonly s: RsyncSession = {
    type: 'rsync.session',
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    server: '',
    server_p: 0,
    server_version: null,
    client_version: null,
    checksums: [],
    motd: null,
    module: null,
    listing: false,
    modules: [],
    auth_required: false,
    user: null,
    result: null,
    error: null,
    direction: null,
    paths: [],
  };

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const side = this.sides[isOrig ? 0 : 1];
    if (side.done) return;
    const cur = side.lines;
    cur.load(buf, off, len);
    while (!side.done) {
      // Arguments from protocol 30 end with NUL; everything else (the answer to AUTHREQD too) with a newline.
      const nul = isOrig && this.inArgs && side.major >= 30 && !(this.s.auth_required && this.s.user === null);
      const b = cur.lineBytes(nul ? 0 : 0x0a);
      if (b === null) break;
      if (++side.tokens > MAX_TOKENS) {
        this.stop(ctx, side, 'rsync.too_many_lines');
        return;
      }
      const token = latin1(b, 0, b.length);
      if (isOrig) this.client(ctx, side, token);
      else this.server(ctx, side, token);
    }
    if (side.done) return;
    cur.save();
    if (cur.overflows > 0) this.stop(ctx, side, 'rsync.line_too_long');
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    const side = this.sides[isOrig ? 0 : 1];
    side.done = true;
    side.lines.reset();
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    this.confirmed = false;
    ctx.emit(this.s);
  }

  private stop(ctx: AnalyzerContext, side: Side, weird: string): void {
    if (this.confirmed) ctx.weird(weird);
    else ctx.release();
    side.done = true;
    side.lines.reset();
  }

  private greeting(ctx: AnalyzerContext, side: Side, line: string): boolean {
    const g = parseGreeting(line);
    if (g === null) {
      this.stop(ctx, side, 'rsync.bad_greeting');
      return false;
    }
    side.major = g.major;
    if (!this.confirmed) {
      this.confirmed = true;
      this.s.server = respHost(ctx.conn);
      this.s.server_p = ctx.conn.rPort;
      confirmSummary(ctx, this.s, 'rsync');
    }
    return true;
  }

  private server(ctx: AnalyzerContext, side: Side, line: string): void {
    const s = this.s;
    if (s.server_version === null) {
      if (!this.greeting(ctx, side, line)) return;
      const g = parseGreeting(line)!;
      s.server_version = g.version;
      s.checksums = g.checksums;
      return;
    }
    if (line.startsWith('@RSYNCD: OK')) {
      s.result = 'ok';
      side.done = true;
    } else if (line.startsWith('@RSYNCD: AUTHREQD')) {
      s.auth_required = true;
    } else if (line.startsWith('@RSYNCD: EXIT')) {
      if (s.result === null) s.result = s.listing ? 'listed' : 'exit';
      side.done = true;
    } else if (line.startsWith('@ERROR')) {
      s.error = line.replace(/^@ERROR:?\s*/, '').slice(0, 200);
      s.result = /auth(entication)? failed/i.test(s.error) ? 'auth-failed' : 'error';
      side.done = true;
    } else if (line.startsWith('@RSYNCD:')) {
      // Other daemon notices (protocol-specific): nothing to keep.
    } else if (s.listing && line.includes('\t')) {
      const m = parseModuleLine(line);
      if (m !== null && s.modules.length < MAX_MODULES && !s.modules.includes(m.name)) s.modules.push(m.name);
    } else if (s.motd === null && line.trim() !== '') s.motd = line.trim().slice(0, 200);
  }

  private client(ctx: AnalyzerContext, side: Side, token: string): void {
    const s = this.s;
    if (s.client_version === null) {
      if (!this.greeting(ctx, side, token)) return;
      s.client_version = parseGreeting(token)!.version;
      return;
    }
    if (!this.asked) {
      this.asked = true;
      if (token === '' || token === '#list') s.listing = true;
      else s.module = token.slice(0, 128);
      if (s.listing) side.done = true;
      else this.inArgs = true;
      return;
    }
    if (s.auth_required && s.user === null) {
      // "<user> <response>": the response (a hash of password and challenge) is never kept.
      s.user = token.split(' ')[0].slice(0, 64);
      return;
    }
    if (token === '') {
      if (s.direction === null) s.direction = 'upload';
      side.done = true;
      return;
    }
    if (token === '--sender') s.direction = 'download';
    else if (token === '.') this.afterDot = true;
    else if (this.afterDot && s.paths.length < MAX_PATHS) s.paths.push(token.slice(0, 256));
  }
}
