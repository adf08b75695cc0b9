// One SASL authentication exchange as carried by SMTP AUTH (RFC 4954), POP3 AUTH (RFC 5034)
// and IMAP AUTHENTICATE (RFC 9051 §6.2.2): base64 challenges and responses, one per line.
// Mechanisms that carry a reusable secret in clear are decoded: PLAIN (RFC 4616), LOGIN
// (draft-murchison-sasl-login), XOAUTH2 and OAUTHBEARER (RFC 7628) bearer tokens. For the
// others only the user name is taken (CRAM-MD5 RFC 2195, DIGEST-MD5 RFC 2831, SCRAM RFC 5802); NTLM tokens are
// handed on whole for the NTLM analyzer. Secrets are digested at once and never kept in clear.
import type { AnalyzerContext } from './types.js';
import { secretDigest } from './secret.js';
import { b64decode, parseSaslPlain } from './textproto.js';

/** Longest user name kept. */
const MAX_USER = 256;
/** Responses looked at in one exchange (a client could loop forever). */
const MAX_STEPS = 8;

export class SaslExchange {
  readonly mech: string;
  user = '';
  /** Keyed digest of the password or token, when the mechanism sent one in clear. */
  secret: string | null = null;
  /** NTLM tokens seen (base64 text as sent), for an `*.auth_blob` event. */
  readonly blobs: { blob: string; isOrig: boolean }[] = [];
  cancelled = false;
  private steps = 0;
  /** What the LOGIN mechanism's server just asked for. */
  private want: 'user' | 'pass' | null = null;

  constructor(mech: string, initial?: string) {
    this.mech = mech.toUpperCase();
    // "=" is an empty initial response (RFC 4954 §4); absent means none was sent.
    if (initial !== undefined && initial !== '' && initial !== '=') this.response(initial);
  }

  /** True when the mechanism sends a reusable secret readable on the wire. */
  get cleartext(): boolean {
    return this.mech === 'PLAIN' || this.mech === 'LOGIN' || this.mech === 'XOAUTH2' || this.mech === 'OAUTHBEARER';
  }

  /** The server's challenge text (base64, possibly empty). */
  challenge(text: string): void {
    const t = text.trim();
    if (this.mech === 'NTLM' && t.length > 0 && b64decode(t) !== null) this.blobs.push({ blob: t, isOrig: false });
    if (this.mech !== 'LOGIN') return;
    const b = b64decode(t);
    const prompt = b === null ? t : Buffer.from(b).toString('latin1');
    if (/pass/i.test(prompt)) this.want = 'pass';
    else if (/user|name/i.test(prompt)) this.want = 'user';
    else this.want = null;
  }

  /** One client response line. */
  response(line: string): void {
    const t = line.trim();
    if (t === '*') {
      this.cancelled = true;
      return;
    }
    if (++this.steps > MAX_STEPS) return;
    const b = b64decode(t);
    if (b === null) return;
    switch (this.mech) {
      case 'PLAIN': {
        const p = parseSaslPlain(b);
        if (p === null) return;
        this.user = (p.user !== '' ? p.user : p.authzid).slice(0, MAX_USER);
        this.secret = secretDigest(p.pass);
        return;
      }
      case 'LOGIN':
        // Without a recognisable prompt the order is user, then password.
        if (this.want === 'pass' || (this.want === null && this.user !== '')) this.secret = secretDigest(b);
        else this.user = Buffer.from(b).toString('utf8').slice(0, MAX_USER);
        this.want = null;
        return;
      case 'XOAUTH2': {
        // user=<user>^Aauth=Bearer <token>^A^A
        const s = Buffer.from(b).toString('utf8');
        const u = /(?:^|\x01)user=([^\x01]*)/.exec(s);
        const tok = /(?:^|\x01)auth=(?:Bearer )?([^\x01]*)/.exec(s);
        if (u !== null) this.user = u[1].slice(0, MAX_USER);
        if (tok !== null && tok[1] !== '') this.secret = secretDigest(tok[1]);
        return;
      }
      case 'OAUTHBEARER': {
        // gs2-header "n,a=<user>," then ^Aauth=Bearer <token>^A^A (RFC 7628 §3.1)
        const s = Buffer.from(b).toString('utf8');
        const u = /^[ny],a=([^,]*),/.exec(s);
        const tok = /\x01auth=Bearer ([^\x01]*)/.exec(s);
        if (u !== null) this.user = u[1].replace(/=2C/g, ',').replace(/=3D/g, '=').slice(0, MAX_USER);
        if (tok !== null && tok[1] !== '') this.secret = secretDigest(tok[1]);
        return;
      }
      case 'CRAM-MD5': {
        const s = Buffer.from(b).toString('utf8');
        const sp = s.lastIndexOf(' ');
        if (sp > 0) this.user = s.slice(0, sp).slice(0, MAX_USER);
        return;
      }
      case 'SCRAM-SHA-1':
      case 'SCRAM-SHA-256':
      case 'SCRAM-SHA-1-PLUS':
      case 'SCRAM-SHA-256-PLUS': {
        // client-first-message "n,,n=<user>,r=<nonce>" (RFC 5802 §7); later messages name no user.
        if (this.user !== '') return;
        const u = /^[nyp][^,]*,[^,]*,n=([^,]*),/.exec(Buffer.from(b).toString('utf8'));
        if (u !== null) this.user = u[1].replace(/=2C/g, ',').replace(/=3D/g, '=').slice(0, MAX_USER);
        return;
      }
      case 'DIGEST-MD5': {
        const u = /(?:^|,)\s*username="((?:[^"\\]|\\.)*)"/.exec(Buffer.from(b).toString('utf8'));
        if (u !== null) this.user = u[1].replace(/\\(.)/g, '$1').slice(0, MAX_USER);
        return;
      }
      case 'NTLM':
        this.blobs.push({ blob: t, isOrig: true });
        return;
    }
  }
}

/** The login outcome a mail-session record keeps (POP3, IMAP). */
export interface SaslSessionFields {
  user?: string;
  success?: boolean;
  password_sent: boolean;
}

/**
 * Ends a SASL exchange of `protocol`: NTLM tokens go on as `<protocol>.auth_blob` (the engine parses
 * and drops them), the session record gets the user and outcome, and a clear-text password becomes
 * a `credential` event carrying only its digest.
 */
export function finishSasl(ctx: AnalyzerContext, protocol: string, a: SaslExchange, s: SaslSessionFields, ok: boolean | undefined): void {
  for (const b of a.blobs) ctx.emit({ type: `${protocol}.auth_blob`, scheme: 'ntlm', blob: b.blob, isOrig: b.isOrig });
  if (a.cancelled) return;
  if (a.user !== '') s.user = a.user;
  if (ok !== undefined) s.success = ok;
  if (a.cleartext && a.secret !== null) {
    s.password_sent = true;
    const ev: Record<string, unknown> = { type: 'credential', protocol, user: a.user, secret: a.secret };
    if (ok !== undefined) ev.success = ok;
    ctx.emit(ev as { type: string });
  }
}
