// NTLM carried by DCE-RPC auth verifiers (MS-RPCE §2.2.2.11) and by HTTP authentication headers
// (MS-NTHT), on connections no other wardline analyzer parses for NTLM. SMB and LDAP feed their
// own NtlmSession. This is also the DCE/RPC-over-TCP carrier: the same framed PDUs feed the
// connection's DceRpcSession (dce_rpc.log). Framing per direction is bounded.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { AUTHN_GSS_NEGOTIATE, AUTHN_WINNT, PDU_ALTER_CONTEXT, PDU_ALTER_CONTEXT_RESP, PDU_AUTH3, PDU_BIND, PDU_BIND_ACK, PDU_BIND_NAK, dceRpcAuth, type DceRpcHeader } from '../dcerpc/parse.js';
import { DceRpcSession } from '../dcerpc/session.js';
import { DceRpcStream } from '../dcerpc/stream.js';
import { HttpAuthScanner } from './http.js';
import { NtlmSession } from './session.js';
import { looksLikeDceRpc, looksLikeHttpRequest } from './probe.js';

/** Bind-time PDUs are small; 64 KiB holds any realistic one (larger calls keep their header). */
const MAX_DCERPC_PDU = 64 * 1024;
const HTTP_UNAUTHORIZED = 401;
const HTTP_PROXY_AUTH_REQUIRED = 407;

const MODE_UNKNOWN = 0;
const MODE_DCERPC = 1;
const MODE_HTTP = 2;
const MODE_NONE = 3;

export class NtlmAnalyzer implements FlowAnalyzer {
  readonly session = new NtlmSession();
  private mode = MODE_UNKNOWN;
  readonly rpc = new DceRpcSession();
  private stream: DceRpcStream | null = null;
  private http: [HttpAuthScanner, HttpAuthScanner] | null = null;
  private ctx: AnalyzerContext | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.mode === MODE_UNKNOWN) this.choose(buf, off, len);
    if (this.mode === MODE_DCERPC) this.stream!.push(isOrig, buf, off, len);
    else if (this.mode === MODE_HTTP) this.http![isOrig ? 0 : 1].data(buf, off, len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    if (this.mode === MODE_DCERPC) this.stream!.gap(isOrig, len);
    else if (this.mode === MODE_HTTP) this.http![isOrig ? 0 : 1].gap();
  }

  end(ctx: AnalyzerContext): void {
    this.session.end(ctx);
    this.rpc.end(ctx);
  }

  private choose(buf: Uint8Array, off: number, len: number): void {
    if (looksLikeDceRpc(buf, off, len)) {
      this.mode = MODE_DCERPC;
      this.stream = new DceRpcStream(MAX_DCERPC_PDU, (isOrig, h, b, o, n, total) => this.pdu(isOrig, h, b, o, n, total));
    } else if (looksLikeHttpRequest(buf, off, len)) {
      this.mode = MODE_HTTP;
      this.http = [
        new HttpAuthScanner(false, { start: () => {}, token: (t) => this.token(true, t) }),
        new HttpAuthScanner(true, { start: (status) => this.httpStatus(status), token: (t) => this.token(false, t) }),
      ];
    } else this.mode = MODE_NONE;
  }

  private token(isOrig: boolean, t: Uint8Array): void {
    if (this.ctx !== null) this.session.token(this.ctx, isOrig, t, 0, t.length);
  }

  /** A response after the client's AUTHENTICATE tells whether it was accepted. */
  private httpStatus(status: number): void {
    if (this.ctx === null || !this.session.awaitingResult) return;
    this.session.result(this.ctx, status !== HTTP_UNAUTHORIZED && status !== HTTP_PROXY_AUTH_REQUIRED);
  }

  private pdu(isOrig: boolean, h: DceRpcHeader, buf: Uint8Array, off: number, len: number, total: number): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    /** The whole TCP connection is one carrier (Zeek's fid 0). */
    this.rpc.pdu(ctx, 0, isOrig, h, buf, off, len);
    if (len < total) return;
    const t = h.ptype;
    if (t === PDU_BIND_NAK) {
      this.session.result(ctx, false);
      return;
    }
    // A bind acknowledged by the server settles that this is DCE-RPC.
    if (t === PDU_BIND_ACK || t === PDU_ALTER_CONTEXT_RESP) ctx.confirm('dce_rpc');
    if (t !== PDU_BIND && t !== PDU_BIND_ACK && t !== PDU_ALTER_CONTEXT && t !== PDU_ALTER_CONTEXT_RESP && t !== PDU_AUTH3) return;
    const a = dceRpcAuth(buf, off, h);
    if (a === null || (a.authType !== AUTHN_WINNT && a.authType !== AUTHN_GSS_NEGOTIATE)) return;
    this.session.token(ctx, isOrig, buf, a.off, a.len);
  }
}
