// Per-flow RFB state: the handshake is lock-step (RFC 6143 §7), so one phase names whose
// message comes next; each side's bytes wait in a small buffer until their turn. After
// ServerInit, or a security type wardline cannot follow (TLS, VeNCrypt …), the rest of the
// session is left alone. Emits rfb.session (one rfb.log line, as Zeek) and an rfb.auth fact.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import {
  ARD_CREDENTIALS_LEN,
  SECURITY_ARD,
  SECURITY_NONE,
  SECURITY_VNC,
  VERSION_LEN,
  VNC_CHALLENGE_LEN,
  authName,
  parseArdParams,
  parseReason,
  parseSecurityTypes,
  parseServerInit,
  parseVersion,
} from './parse.js';

const MAX_BUFFER = 4096;

const enum P {
  ServerVersion,
  ClientVersion,
  SecurityTypes,
  SecurityChoice,
  VncChallenge,
  VncResponse,
  ArdParams,
  ArdResponse,
  SecurityResult,
  FailureReason,
  ClientInit,
  ServerInit,
  Done,
}

/** Phases whose message comes from the client. */
const CLIENT_PHASES = new Set([P.ClientVersion, P.SecurityChoice, P.VncResponse, P.ArdResponse, P.ClientInit]);

export class RfbAnalyzer implements FlowAnalyzer {
  private readonly bufs: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  private phase = P.ServerVersion;
  private minor = 0;
  private ardKeyLen = 0;
  private started = false;
  private logged = false;
  private readonly s: Record<string, unknown> = { type: 'rfb.session' };

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.phase === P.Done) return;
    const i = isOrig ? 0 : 1;
    const old = this.bufs[i];
    if (old.length + len > MAX_BUFFER) {
      ctx.weird('rfb.handshake_too_long');
      this.phase = P.Done;
      return;
    }
    const nb = new Uint8Array(old.length + len);
    nb.set(old, 0);
    nb.set(buf.subarray(off, off + len), old.length);
    this.bufs[i] = nb;
    // A client that opens with its version (scanners) answers nothing yet: let the server go first.
    this.run(ctx);
  }

  gap(): void {
    this.phase = P.Done;
  }

  end(ctx: AnalyzerContext): void {
    this.log(ctx);
  }

  private run(ctx: AnalyzerContext): void {
    for (;;) {
      if (this.phase === P.Done) return;
      const fromClient = CLIENT_PHASES.has(this.phase);
      const b = this.bufs[fromClient ? 0 : 1];
      if (b.length === 0) return;
      const used = this.step(ctx, b);
      if (used === 'need_more') return;
      if (used === 'bad') {
        ctx.weird('rfb.bad_handshake');
        this.phase = P.Done;
        return;
      }
      this.bufs[fromClient ? 0 : 1] = b.subarray(used);
    }
  }

  private begin(ctx: AnalyzerContext): void {
    if (this.started) return;
    this.started = true;
    this.s.tsSec = ctx.packet.tsSec;
    this.s.tsNsec = ctx.packet.tsNsec;
  }

  private step(ctx: AnalyzerContext, b: Uint8Array): number | 'need_more' | 'bad' {
    const n = b.length;
    switch (this.phase) {
      case P.ServerVersion:
      case P.ClientVersion: {
        const v = parseVersion(b, 0, n);
        if (typeof v === 'string') return v;
        this.begin(ctx);
        if (this.phase === P.ServerVersion) {
          this.s.server_major_version = v.major;
          this.s.server_minor_version = v.minor;
          ctx.confirm('rfb');
          this.phase = P.ClientVersion;
        } else {
          this.s.client_major_version = v.major;
          this.s.client_minor_version = v.minor;
          // The session runs at the lower of the two versions; 3.889 (Apple) behaves as 3.8.
          const sm = Number(this.s.server_minor_version);
          this.minor = Math.min(Number(v.minor), Number.isFinite(sm) ? sm : 8);
          this.phase = P.SecurityTypes;
        }
        return VERSION_LEN;
      }
      case P.SecurityTypes: {
        const t = parseSecurityTypes(b, 0, n, this.minor < 7);
        if (typeof t === 'string') return t;
        if (t.types.length === 0) {
          this.s.failure_reason = t.reason;
          this.phase = P.Done;
        } else if (this.minor < 7) this.chosen(t.types[0]);
        else {
          this.s.offered_security_types = t.types;
          this.phase = P.SecurityChoice;
        }
        return t.consumed;
      }
      case P.SecurityChoice:
        this.chosen(b[0]);
        return 1;
      case P.VncChallenge:
        if (n < VNC_CHALLENGE_LEN) return 'need_more';
        this.phase = P.VncResponse;
        return VNC_CHALLENGE_LEN;
      case P.VncResponse:
        if (n < VNC_CHALLENGE_LEN) return 'need_more';
        this.phase = P.SecurityResult;
        return VNC_CHALLENGE_LEN;
      case P.ArdParams: {
        const a = parseArdParams(b, 0, n);
        if (typeof a === 'string') return a;
        this.ardKeyLen = a.keyLen;
        this.phase = P.ArdResponse;
        return a.consumed;
      }
      case P.ArdResponse: {
        const need = ARD_CREDENTIALS_LEN + this.ardKeyLen;
        if (n < need) return 'need_more';
        this.phase = P.SecurityResult;
        return need;
      }
      case P.SecurityResult: {
        if (n < 4) return 'need_more';
        const ok = b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0;
        this.s.auth = ok;
        ctx.emit({ type: 'rfb.auth', method: this.s.authentication_method, success: ok, packet: ctx.packet.packetNo });
        this.phase = ok ? P.ClientInit : this.minor >= 8 ? P.FailureReason : P.Done;
        return 4;
      }
      case P.FailureReason: {
        const r = parseReason(b, 0, n);
        if (typeof r === 'string') return r;
        this.s.failure_reason = r.text;
        this.phase = P.Done;
        return r.consumed;
      }
      case P.ClientInit:
        this.s.share_flag = b[0] !== 0;
        this.phase = P.ServerInit;
        return 1;
      case P.ServerInit: {
        const si = parseServerInit(b, 0, n);
        if (typeof si === 'string') return si;
        this.s.desktop_name = si.name;
        this.s.width = si.width;
        this.s.height = si.height;
        this.phase = P.Done;
        this.log(ctx);
        return si.consumed;
      }
      default:
        return 'bad';
    }
  }

  /** The security type in use decides what follows (§7.2). */
  private chosen(t: number): void {
    this.s.authentication_method = authName(t);
    this.s.security_type = t;
    if (t === SECURITY_VNC) this.phase = P.VncChallenge;
    else if (t === SECURITY_ARD) this.phase = P.ArdParams;
    else if (t === SECURITY_NONE) this.phase = this.minor >= 8 ? P.SecurityResult : P.ClientInit;
    else this.phase = P.Done; // TLS, VeNCrypt, Tight …: encrypted or not followed
  }

  private log(ctx: AnalyzerContext): void {
    if (this.logged || !this.started) return;
    this.logged = true;
    ctx.emit(this.s as { type: string });
  }
}
