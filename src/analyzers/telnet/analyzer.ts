// Per-flow Telnet state (RFC 854): each direction's bytes lose their commands (stripIac), the
// client's terminal type, NEW-ENVIRON USER and AUTHENTICATION NAME are taken from
// subnegotiations, and the remaining text drives the login dialog (dialog.ts).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { LoginDialog } from './dialog.js';
import { authName, environUser, newIacState, stripIac, terminalType } from './parse.js';

export class TelnetAnalyzer implements FlowAnalyzer {
  private readonly st = [newIacState(), newIacState()];
  private readonly dialog = new LoginDialog('telnet');
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const r = stripIac(buf, off, len, this.st[isOrig ? 0 : 1]);
    if (r.errors > 0) ctx.weird('telnet.bad_subnegotiation');
    if (!this.confirmed && (r.negotiations > 0 || r.subnegs.length > 0)) this.confirm(ctx);
    if (isOrig) {
      for (const sb of r.subnegs) {
        const tt = terminalType(sb);
        if (tt !== null) this.dialog.clientBanner ??= tt;
        const u = environUser(sb) ?? authName(sb);
        if (u !== null) this.dialog.presetUser = u;
      }
      this.dialog.client(ctx, r.data, 0, r.data.length);
    } else {
      this.dialog.server(ctx, r.data, 0, r.data.length);
      if (!this.confirmed && this.dialog.sawPrompt) this.confirm(ctx);
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    ctx.weird('telnet.content_gap');
    this.st[isOrig ? 0 : 1] = newIacState();
  }

  end(ctx: AnalyzerContext): void {
    this.dialog.end(ctx);
  }

  private confirm(ctx: AnalyzerContext): void {
    this.confirmed = true;
    ctx.confirm('telnet');
  }
}
