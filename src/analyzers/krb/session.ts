// Per-connection Kerberos state shared by every carrier (UDP/TCP port 88, and GSS-API tokens in
// SMB, LDAP, HTTP): messages are folded into one record per exchange as Zeek's
// base/protocols/krb/main.zeek does — AS/TGS request fields, then the reply's client, ticket
// service and cipher, or the error — and the record is emitted when the exchange ends (reply,
// error, AP-REP, or the connection's end). Errors that only ask for pre-authentication are the
// first half of every normal login and are not recorded (Zeek's KRB::ignored_errors). Unlike
// Zeek, a connection carrying several exchanges gets one record each (bounded).
import { sideAddr } from '../ntlm/session.js';
import type { AnalyzerContext } from '../types.js';
import type { KrbTransactionEvent } from './events.js';
import { errorName, etypeName, weakEtype } from './names.js';
import { KRB_AS_REQ, PREAUTH_PADATA, type KdcRep, type KdcReq, type KrbErr, type KrbMessage, type Principal, type Ticket } from './parse.js';

/** e-text of the pre-authentication prompts MIT and Windows KDCs send (Zeek's ignored_errors). */
const IGNORED_ERRORS = new Set(['NEEDED_PREAUTH', 'Need to use PA-ENC-TIMESTAMP/PA-PK-AS-REQ']);
/** Exchanges recorded per connection; a flood cannot grow memory or logs past it. */
const MAX_EXCHANGES = 256;

export class KrbSession {
  private rec: KrbTransactionEvent | null = null;
  private exchanges = 0;
  private hostsSent = 0;

  /** One Kerberos message from the carrier. `isOrig`: sent by the connection's originator. */
  message(ctx: AnalyzerContext, isOrig: boolean, m: KrbMessage): void {
    switch (m.kind) {
      case 'kdc_req':
        this.request(ctx, isOrig, m);
        break;
      case 'kdc_rep':
        this.reply(ctx, isOrig, m);
        break;
      case 'ap_req': {
        const r = this.open(ctx, false);
        if (r === null) return;
        r.request_type = 'AP';
        this.ticket(r, m.ticket);
        if (m.ticket !== null && m.ticket.realm !== '') r.client = `/${m.ticket.realm}`;
        break;
      }
      case 'ap_rep': {
        if (this.rec === null) return;
        this.rec.success = true;
        this.flush(ctx);
        break;
      }
      default:
        this.error(ctx, m);
    }
  }

  /** The connection ended: record what is pending. */
  end(ctx: AnalyzerContext): void {
    this.flush(ctx);
  }

  private request(ctx: AnalyzerContext, isOrig: boolean, m: KdcReq): void {
    const r = this.open(ctx, true);
    if (r === null) return;
    const as = m.msgType === KRB_AS_REQ;
    r.request_type = as ? 'AS' : 'TGS';
    // An AS request names its client; a TGS request's client is inside the encrypted
    // authenticator and is learnt from the reply.
    if (as) {
      r.client = `${m.cname?.name ?? ''}/${m.realm}`;
      // Answered without any, the account does not require pre-authentication: anyone may ask
      // for its AS-REP and crack the part encrypted with its key ("AS-REP roasting").
      r.preauth = m.padata.some((t) => PREAUTH_PADATA.has(t));
    }
    if (m.sname !== null) r.service = m.sname.name;
    if (m.from !== null) r.from = m.from;
    if (m.till !== null) r.till = m.till;
    r.forwardable = m.forwardable;
    r.renewable = m.renewable;
    if (m.etypes.length > 0) r.request_ciphers = m.etypes.map(etypeName);
    if (as) this.host(ctx, isOrig, m.cname, m.realm);
    for (const n of m.netbiosNames) this.hostName(ctx, isOrig, n, m.realm, 'addresses');
  }

  private reply(ctx: AnalyzerContext, isOrig: boolean, m: KdcRep): void {
    const r = this.open(ctx, false);
    if (r === null) return;
    if (r.client === undefined && (m.cname !== null || m.crealm !== '')) r.client = `${m.cname?.name ?? ''}/${m.crealm}`;
    this.ticket(r, m.ticket);
    r.success = true;
    // The client the KDC names is the requester (the reply travels back to it).
    this.host(ctx, !isOrig, m.cname, m.crealm);
    this.flush(ctx);
  }

  private error(ctx: AnalyzerContext, m: KrbErr): void {
    if (m.eText !== null && IGNORED_ERRORS.has(m.eText)) {
      const r = this.rec;
      this.rec = null;
      if (r !== null && r.request_type === 'AS' && r.preauth === false && typeof r.client === 'string') {
        // Dated by its request, as the exchanges kerberos.log records are.
        ctx.emit({ type: 'krb.preauth_required', tsSec: r.tsSec, tsNsec: r.tsNsec, packet: r.packet, client: r.client });
      }
      return;
    }
    const r = this.open(ctx, false);
    if (r === null) return;
    if (r.client === undefined && (m.cname !== null || m.crealm !== null)) r.client = `${m.cname !== null ? `${m.cname.name}/` : ''}${m.crealm ?? ''}`;
    if (m.sname !== null) r.service = m.sname.name;
    r.success = false;
    r.error_code = m.errorCode;
    r.error_msg = m.eText ?? errorName(m.errorCode);
    this.flush(ctx);
  }

  private ticket(r: KrbTransactionEvent, t: Ticket | null): void {
    if (t === null) return;
    if (t.sname !== null) r.service = t.sname.name;
    if (t.etype >= 0) {
      r.cipher = etypeName(t.etype);
      r.weak_cipher = weakEtype(t.etype);
    }
  }

  /** A machine account ("NAME$") names the host that asks for or receives its tickets. */
  private host(ctx: AnalyzerContext, isOrig: boolean, p: Principal | null, realm: string): void {
    if (p === null || !p.name.endsWith('$') || p.name.includes('/')) return;
    this.hostName(ctx, isOrig, p.name.slice(0, -1), realm, 'cname');
  }

  private hostName(ctx: AnalyzerContext, isOrig: boolean, name: string, realm: string, source: 'cname' | 'addresses'): void {
    if (name === '' || this.hostsSent >= 4) return;
    this.hostsSent++;
    ctx.emit({ type: 'krb.host', host: sideAddr(ctx, isOrig), name, realm, source, packet: ctx.packet.packetNo });
  }

  /** The exchange in progress; a request after a finished one starts a new one. */
  private open(ctx: AnalyzerContext, isRequest: boolean): KrbTransactionEvent | null {
    if (this.rec !== null && isRequest && this.rec.success !== undefined) this.flush(ctx);
    if (this.rec !== null) return this.rec;
    if (this.exchanges >= MAX_EXCHANGES) return null;
    this.exchanges++;
    const p = ctx.packet;
    this.rec = { type: 'krb.transaction', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo };
    return this.rec;
  }

  private flush(ctx: AnalyzerContext): void {
    const r = this.rec;
    if (r === null) return;
    this.rec = null;
    ctx.emit(r);
  }
}
