// Per-flow XDMCP state: every datagram's header, the fields of each message kept on the flow's
// summary with the side that sent them (the display manager answers Willing/Accept/Decline…,
// the X terminal asks Query/Request/Manage). The authorization data of an Accept (the display's
// MIT-MAGIC-COOKIE-1) crosses the network in clear: it becomes a credential event (a keyed digest,
// never the bytes) and `authorization: <redacted>` in the log. One xdmcp.session event at the end.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { credentialEvent, origHost, respHost } from '../textproto.js';
import type { XdmcpSession } from './events.js';
import {
  ACCEPT,
  BROADCAST_QUERY,
  DECLINE,
  FAILED,
  Fields,
  INDIRECT_QUERY,
  MANAGE,
  OPCODES,
  QUERY,
  REFUSE,
  REQUEST,
  UNWILLING,
  WILLING,
  connectionAddress,
  parseHeader,
  text,
} from './parse.js';

const MAX_NAMES = 8;
const MAX_ADDRESSES = 16;
/** Messages the display manager sends (the rest come from the X terminal). */
const FROM_MANAGER = new Set([WILLING, UNWILLING, ACCEPT, DECLINE, REFUSE, FAILED, 14]);

export class XdmcpAnalyzer implements FlowAnalyzer {
  private readonly s: XdmcpSession = { type: 'xdmcp.session', tsSec: 0, tsNsec: 0, packet: 0, messages: [], queries: 0 };
  private confirmed = false;
  private credential = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const h = parseHeader(buf, off, len);
    if (h === null) {
      ctx.weird('xdmcp.bad_header');
      return;
    }
    const s = this.s;
    if (!this.confirmed) {
      this.confirmed = true;
      confirmSummary(ctx, s, 'xdmcp');
    }
    const name = OPCODES[h.opcode];
    if (!s.messages.includes(name)) s.messages.push(name);
    if (FROM_MANAGER.has(h.opcode)) s.manager_orig ??= isOrig;
    else s.terminal_orig ??= isOrig;
    const f = new Fields(buf, off + 6, h.end);
    switch (h.opcode) {
      case BROADCAST_QUERY:
      case QUERY:
      case INDIRECT_QUERY: {
        s.queries++;
        const names = f.arrayOfArray8(MAX_NAMES).map((a) => text(a)).filter((t) => t !== '');
        if (names.length > 0) s.auth_offered ??= names;
        break;
      }
      case WILLING:
      case UNWILLING: {
        if (h.opcode === WILLING) f.array8(); // the authentication name it chose
        const host = text(f.array8());
        const status = text(f.array8());
        if (host !== '') s.hostname ??= host;
        if (status !== '') s.status ??= status;
        break;
      }
      case REQUEST: {
        s.display_number ??= f.card16();
        const types = f.arrayOfCard16();
        const addrs = f.arrayOfArray8(MAX_ADDRESSES);
        f.array8(); // authentication name
        f.array8(); // authentication data
        const authz = f.arrayOfArray8(MAX_NAMES).map((a) => text(a)).filter((t) => t !== '');
        const maker = text(f.array8());
        if (s.addresses === undefined) {
          const list: string[] = [];
          for (let i = 0; i < addrs.length; i++) {
            const a = connectionAddress(types[i] ?? -1, addrs[i]);
            if (a !== null && !list.includes(a)) list.push(a);
          }
          if (list.length > 0) s.addresses = list;
        }
        if (authz.length > 0) s.authorization_requested ??= authz;
        if (maker !== '') s.manufacturer_display_id ??= maker;
        break;
      }
      case ACCEPT: {
        f.card32(); // session id
        f.array8(); // authentication name
        f.array8(); // authentication data
        const authzName = text(f.array8());
        const authzData = f.array8();
        s.outcome = 'accepted';
        if (authzName !== '') s.authorization_name = authzName;
        if (authzData.length > 0) {
          s.has_authorization = true;
          this.emitCredential(ctx, isOrig, authzName, authzData);
        }
        break;
      }
      case DECLINE: {
        const status = text(f.array8());
        s.outcome = 'declined';
        if (status !== '') s.reason = status;
        break;
      }
      case REFUSE:
        s.outcome = 'refused';
        break;
      case FAILED: {
        f.card32();
        const status = text(f.array8());
        s.outcome = 'failed';
        if (status !== '') s.reason = status;
        break;
      }
      case MANAGE: {
        f.card32();
        f.card16();
        const cls = text(f.array8());
        if (cls !== '') s.display_class ??= cls;
        break;
      }
      default:
    }
    if (f.bad) ctx.weird('xdmcp.truncated_field');
  }

  /** The display's authorization, sent by the manager (the server of the credential) in clear. */
  private emitCredential(ctx: AnalyzerContext, managerIsOrig: boolean, scheme: string, data: Uint8Array): void {
    if (this.credential) return;
    this.credential = true;
    const c = ctx.conn;
    const ev = credentialEvent('xdmcp', '', data);
    ev.server = managerIsOrig ? origHost(c) : respHost(c);
    ev.client = managerIsOrig ? respHost(c) : origHost(c);
    ev.server_p = managerIsOrig ? c.oPort : c.rPort;
    if (scheme !== '') ev.mechanism = scheme;
    ctx.emit(ev);
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
