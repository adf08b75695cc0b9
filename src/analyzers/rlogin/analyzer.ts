// Per-flow rlogin state (RFC 1282): the client's handshake names both users and the terminal;
// the server's single NUL accepts it; what follows is terminal text, read by the same login
// dialog as Telnet (a password prompt, or a shell straight away for trusted hosts).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { LoginDialog } from '../telnet/dialog.js';
import { MAX_HANDSHAKE, parseHandshake } from './parse.js';

export class RloginAnalyzer implements FlowAnalyzer {
  private readonly dialog = new LoginDialog('rlogin');
  private hs: Uint8Array | null = new Uint8Array(0);
  private serverAck = false;
  private dead = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.dead) return;
    if (isOrig) {
      if (this.hs !== null) {
        // Collect the handshake (it may be split); bounded by MAX_HANDSHAKE.
        const b = new Uint8Array(this.hs.length + len);
        b.set(this.hs, 0);
        b.set(buf.subarray(off, off + len), this.hs.length);
        const r = parseHandshake(b, 0, b.length);
        if (r === 'need_more') {
          this.hs = b.length < MAX_HANDSHAKE ? b : null;
          return;
        }
        this.hs = null;
        if (r === null) {
          ctx.weird('rlogin.bad_handshake');
          this.dead = true;
          return;
        }
        ctx.confirm('rlogin');
        this.dialog.clientUser = r.clientUser;
        if (r.terminal !== '') this.dialog.clientBanner = r.terminal;
        this.dialog.startWithUser(ctx, r.serverUser);
        if (r.consumed < b.length) this.dialog.client(ctx, b, r.consumed, b.length - r.consumed);
        return;
      }
      this.dialog.client(ctx, buf, off, len);
      return;
    }
    let o = off;
    let l = len;
    if (!this.serverAck && l > 0) {
      // The server's first byte is a NUL accepting the handshake.
      this.serverAck = true;
      if (buf[o] === 0) {
        o++;
        l--;
      }
    }
    this.dialog.server(ctx, buf, o, l);
  }

  gap(ctx: AnalyzerContext): void {
    ctx.weird('rlogin.content_gap');
  }

  end(ctx: AnalyzerContext): void {
    this.dialog.end(ctx);
  }
}
