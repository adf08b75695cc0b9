// Per-connection NTLM state shared by every carrier (SMB, LDAP, HTTP, DCE-RPC): collects
// NEGOTIATE/CHALLENGE/AUTHENTICATE into one attempt and emits it as `ntlm.auth` once the
// carrier's verdict arrives (SPNEGO negState, SMB status, LDAP/HTTP result) or the connection
// ends, as Zeek's base/protocols/ntlm does. Unlike Zeek, a connection with several attempts
// gets one line per attempt (brute force and password spraying stay visible).
import { formatAddr } from '../../decode/packet.js';
import type { AnalyzerContext } from '../types.js';
import type { NtlmAuthEvent } from './events.js';
import { NEG_ACCEPT_INCOMPLETE, NEG_REQUEST_MIC, parseGss, type GssToken } from './gssapi.js';
import { KrbSession } from '../krb/session.js';
import { parseKrbGssToken } from '../krb/parse.js';
import { formatVersion, parseNtlm, NTLM_AUTHENTICATE, NTLM_CHALLENGE, NTLM_NEGOTIATE, type NtlmMessage, type NtlmVersion } from './parse.js';

/** Address of the sending side of the current packet's direction. */
export function sideAddr(ctx: AnalyzerContext, isOrig: boolean): string {
  const c = ctx.conn;
  return isOrig ? formatAddr(c.o0, c.o1, c.o2, c.o3) : formatAddr(c.r0, c.r1, c.r2, c.r3);
}

export class NtlmSession {
  private rec: NtlmAuthEvent | null = null;
  private haveAuth = false;
  private haveChallenge = false;
  private clientVersionSent = false;
  private serverVersionSent = false;
  private namesSent = false;
  /** Kerberos tokens of the same carrier (AP-REQ/AP-REP), once one is seen. */
  private krb: KrbSession | null = null;
  /** Attempts logged on this connection; bounded so a flood cannot grow memory or logs. */
  private attempts = 0;
  static readonly MAX_ATTEMPTS = 256;

  /**
   * A security token from the carrier: raw NTLMSSP, or GSS-API/SPNEGO wrapping NTLM or
   * Kerberos. Returns what it was (null when not a security token at all).
   */
  token(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): GssToken | null {
    const g = parseGss(buf, off, len);
    if (g === null) return null;
    if (g.kind === 'spnego') ctx.confirm('gssapi');
    if (g.inner === 'ntlm' && g.tokenOff !== undefined && g.tokenLen !== undefined) this.message(ctx, isOrig, buf, g.tokenOff, g.tokenLen);
    else if (g.inner === 'krb5' && g.tokenOff !== undefined && g.tokenLen !== undefined) this.kerberos(ctx, isOrig, buf, g.tokenOff, g.tokenLen);
    if (g.negState !== undefined && g.negState !== NEG_ACCEPT_INCOMPLETE && g.negState !== NEG_REQUEST_MIC) this.result(ctx, g.negState === 0);
    return g;
  }

  /** One raw NTLM message. */
  message(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): NtlmMessage | null {
    const m = parseNtlm(buf, off, len);
    if (typeof m === 'string') {
      if (m !== 'not_ntlm') ctx.weird(`ntlm.${m}`);
      return null;
    }
    ctx.confirm('ntlm');
    // A NEGOTIATE after a CHALLENGE or AUTHENTICATE, or a second AUTHENTICATE, starts a new
    // attempt (a repeated NEGOTIATE alone does not).
    if (this.rec !== null && ((m.type === NTLM_NEGOTIATE && (this.haveChallenge || this.haveAuth)) || (m.type === NTLM_AUTHENTICATE && this.haveAuth))) this.flush(ctx);
    const r = this.open(ctx);
    if (r === null) return m;
    if (m.type === NTLM_NEGOTIATE) {
      this.version(ctx, isOrig, 'client', m.version);
    } else if (m.type === NTLM_CHALLENGE) {
      this.haveChallenge = true;
      if (m.nbComputerName !== undefined) r.server_nb_computer_name = m.nbComputerName;
      if (m.dnsComputerName !== undefined) r.server_dns_computer_name = m.dnsComputerName;
      if (m.dnsTreeName !== undefined) r.server_tree_name = m.dnsTreeName;
      this.version(ctx, isOrig, 'server', m.version);
      if (!this.namesSent && (m.nbComputerName !== undefined || m.dnsComputerName !== undefined)) {
        this.namesSent = true;
        ctx.emit({
          type: 'ntlm.server_names',
          host: sideAddr(ctx, isOrig),
          nb_computer_name: m.nbComputerName,
          nb_domain_name: m.nbDomainName,
          dns_computer_name: m.dnsComputerName,
          dns_domain_name: m.dnsDomainName,
          dns_tree_name: m.dnsTreeName,
          packet: ctx.packet.packetNo,
        });
      }
    } else {
      this.haveAuth = true;
      if (m.user !== undefined) r.username = m.user;
      if (m.workstation !== undefined) r.hostname = m.workstation;
      if (m.domain !== undefined) r.domainname = m.domain;
      if (m.ntlmV1) r.ntlm_v1 = true;
      if (m.anonymous) r.anonymous = true;
      this.version(ctx, isOrig, 'client', m.version);
    }
    return m;
  }

  /** The carrier's verdict on the attempt; ignored when no NTLM was seen. */
  result(ctx: AnalyzerContext, success: boolean): void {
    if (this.rec === null) return;
    this.rec.success = success;
    this.flush(ctx);
  }

  /** True while an attempt with an AUTHENTICATE awaits its verdict. */
  get awaitingResult(): boolean {
    return this.rec !== null && this.haveAuth;
  }

  /** The connection ended: log what is pending. */
  end(ctx: AnalyzerContext): void {
    this.flush(ctx);
    this.krb?.end(ctx);
  }

  /** A Kerberos GSS token (AP-REQ from the client, AP-REP or KRB-ERROR from the server). */
  private kerberos(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const m = parseKrbGssToken(buf, off, len);
    if (typeof m === 'string') {
      if (m === 'bad') ctx.weird('krb.bad_message');
      return;
    }
    ctx.confirm('krb');
    if (this.krb === null) this.krb = new KrbSession();
    this.krb.message(ctx, isOrig, m);
  }

  private open(ctx: AnalyzerContext): NtlmAuthEvent | null {
    if (this.rec !== null) return this.rec;
    if (this.attempts >= NtlmSession.MAX_ATTEMPTS) return null;
    this.attempts++;
    const p = ctx.packet;
    this.rec = { type: 'ntlm.auth', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo };
    this.haveAuth = false;
    this.haveChallenge = false;
    return this.rec;
  }

  private flush(ctx: AnalyzerContext): void {
    const r = this.rec;
    if (r === null) return;
    this.rec = null;
    this.haveAuth = false;
    this.haveChallenge = false;
    ctx.emit(r);
  }

  private version(ctx: AnalyzerContext, isOrig: boolean, side: 'client' | 'server', v: NtlmVersion | undefined): void {
    if (v === undefined) return;
    const text = formatVersion(v);
    const r = this.rec;
    if (r !== null) {
      const key = side === 'client' ? 'client_version' : 'server_version';
      // Keep the first real version; an all-zero one (Windows 2000 era) only when nothing better.
      if (r[key] === undefined || (r[key] === '0.0.0' && v.major > 0)) r[key] = text;
    }
    if (v.major === 0) return;
    if (side === 'client' ? this.clientVersionSent : this.serverVersionSent) return;
    if (side === 'client') this.clientVersionSent = true;
    else this.serverVersionSent = true;
    ctx.emit({ type: 'ntlm.version', side, host: sideAddr(ctx, isOrig), major: v.major, minor: v.minor, build: v.build, version: text, packet: ctx.packet.packetNo });
  }
}
