// Per-connection TDS state ([MS-TDS] 3.2/3.3): packets of each direction are framed and joined
// into messages (up to the EOM status bit); PRELOGIN answers give the encryption each side
// wants and the server's version; a LOGIN7 sent in clear gives the names for mssql.log and,
// for SQL Server authentication, the password (only obfuscated: kept as a digest, never the
// value); the server's next tabular response gives LOGINACK or ERROR. A TLS handshake carried
// in PRELOGIN packets, and the TLS records that follow it raw, go to an embedded TLS analyzer
// (conn.log then reads "mssql,ssl"). SSPI blobs (LOGIN7, SSPI packets, SSPI tokens) go to the
// shared NTLM session. After the login the connection is only counted, not parsed.
import type { AnalyzerContext, AppEvent, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import { NtlmSession, sideAddr } from '../ntlm/session.js';
import { TlsAnalyzer } from '../tls/analyzer.js';
import { REDACTED, secretDigest } from '../secret.js';
import type { MssqlLoginEvent } from './events.js';
import * as p from './parse.js';

/** Bytes of one message kept (a LOGIN7 is at most 128 KiB by its own limit; names fit in far less). */
const MAX_MESSAGE = 64 * 1024;
/** A framed unit kept whole while split across segments: the largest TDS packet or TLS record. */
const MAX_KEEP = p.TDS_MAX_PACKET + 1;

const PHASE_START = 0;
/** LOGIN7 sent (or sent inside TLS): the next tabular response answers it. */
const PHASE_LOGIN = 1;
const PHASE_DONE = 2;

export class TdsAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer, PduFramer];
  /** Per direction: a TLS handshake began, so raw TLS records may follow TDS packets. */
  private readonly tlsSide = [false, false];
  private readonly msg: [Uint8Array[], Uint8Array[]] = [[], []];
  private readonly msgLen = [0, 0];
  private readonly msgType = [-1, -1];
  private ctx: AnalyzerContext | null = null;
  private phase = PHASE_START;
  private rec: MssqlLoginEvent | null = null;
  private clientEncryption = -1;
  private serverEncryption = -1;
  private softwareSent = false;
  private confirmed = false;
  private tls: TlsAnalyzer | null = null;
  private readonly ntlm = new NtlmSession();
  private cred: AppEvent | null = null;

  constructor() {
    this.framers = [this.framer(true), this.framer(false)];
  }

  private framer(isOrig: boolean): PduFramer {
    const side = isOrig ? 0 : 1;
    // After a TLS handshake in PRELOGIN packets the encrypted records travel raw (3.2.5.2):
    // TLS content types 20-23 are not TDS packet types, so both framings can share a stream.
    const lengthOf = (b: Uint8Array, o: number, avail: number): number => {
      if (this.tlsSide[side] && avail > 0 && p.tlsRecordLength(b, o, avail) !== -1) return p.tlsRecordLength(b, o, avail);
      return p.tdsFrameLength(b, o, avail);
    };
    return new PduFramer({ maxHeader: p.TDS_HEADER_LEN, maxKeep: MAX_KEEP, lengthOf }, { pdu: (b, o, n, t, d) => this.packet(isOrig, b, o, n, t, d) });
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      ctx.weird('mssql.bad_framing');
      ctx.violation?.();
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    const side = isOrig ? 0 : 1;
    this.framers[side].gap(len);
    this.tls?.gap(ctx, isOrig, len);
    this.resetMessage(side);
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.flush();
    this.ntlm.end(ctx);
    this.tls?.end(ctx);
  }

  private resetMessage(side: number): void {
    this.msg[side] = [];
    this.msgLen[side] = 0;
    this.msgType[side] = -1;
  }

  /** One framed unit: a TDS packet, or a raw TLS record after the handshake. */
  private packet(isOrig: boolean, b: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    const ctx = this.ctx!;
    const side = isOrig ? 0 : 1;
    if (this.tlsSide[side] && p.tlsRecordLength(b, off, len) > 0) {
      this.tlsData(ctx, isOrig, b, off, len);
      return;
    }
    const h = p.parseHeader(b, off, len);
    if (h === null) return;
    if (damaged || total > len) {
      // Part of the packet is missing: its message cannot be read.
      this.resetMessage(side);
      return;
    }
    if (!this.confirmed && isOrig && h.window === 0) this.confirm(ctx);
    if (this.phase === PHASE_DONE) return;
    const pay = b.subarray(off + p.TDS_HEADER_LEN, off + h.length);
    if (this.msgType[side] === -1) this.msgType[side] = h.type;
    if (this.msgLen[side] < MAX_MESSAGE) {
      const keep = pay.subarray(0, MAX_MESSAGE - this.msgLen[side]);
      // A PDU handed over without copying lives in the caller's buffer: keep a copy.
      this.msg[side].push(keep.slice());
      this.msgLen[side] += keep.length;
    }
    if ((h.status & p.STATUS_EOM) === 0) return;
    const type = this.msgType[side];
    const parts = this.msg[side];
    this.resetMessage(side);
    const m = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (isOrig) this.client(ctx, type, m);
    else this.server(ctx, type, m);
  }

  private tlsData(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    if (this.tls === null) this.tls = new TlsAnalyzer();
    this.tls.data(ctx, isOrig, b, off, len);
  }

  private client(ctx: AnalyzerContext, type: number, m: Uint8Array): void {
    if (type === p.TYPE_PRELOGIN) {
      if (p.isTlsRecord(m, 0, m.length)) {
        // The TLS handshake, wrapped in PRELOGIN packets: whatever follows is encrypted, the
        // LOGIN7 included (ENCRYPT_OFF encrypts that one message, ON/REQ all of them).
        this.tlsSide[0] = this.tlsSide[1] = true;
        const r = this.open(ctx);
        r.login_encrypted = true;
        this.phase = PHASE_LOGIN;
        this.tlsData(ctx, true, m, 0, m.length);
        return;
      }
      if (this.phase !== PHASE_START) return;
      const pl = p.parsePrelogin(m, 0, m.length);
      if (pl === null) return;
      const r = this.open(ctx);
      if (pl.encryption !== undefined) {
        this.clientEncryption = pl.encryption;
        r.client_encryption = p.encryptionName(pl.encryption);
      }
      if (pl.instance !== undefined && pl.instance !== '') r.instance = pl.instance;
      return;
    }
    if (type === p.TYPE_LOGIN7) {
      this.login(ctx, m);
      return;
    }
    if (type === p.TYPE_SSPI) {
      this.ntlm.token(ctx, true, m, 0, m.length);
      return;
    }
    // A request before any login: the capture began mid-session; nothing to log.
    if (this.phase === PHASE_START && this.rec === null) this.phase = PHASE_DONE;
  }

  private login(ctx: AnalyzerContext, m: Uint8Array): void {
    const l = p.parseLogin7(m, 0, m.length);
    if (l === null) {
      ctx.weird('mssql.bad_login7');
      return;
    }
    // A LOGIN7 in clear on the wire: whatever PRELOGIN said, anyone on the path reads it.
    const r = this.open(ctx);
    // Empty names are absent from the message, not names: they stay unset in the log.
    if (l.userName !== '') r.username = l.userName;
    if (l.hostName !== '') r.client_name = l.hostName;
    if (l.appName !== '') r.app_name = l.appName;
    if (l.library !== '') r.library = l.library;
    if (l.serverName !== '') r.server_name = l.serverName;
    if (l.database !== '') r.database = l.database;
    if (l.language !== '') r.language = l.language;
    r.tds_version = p.tdsVersionName(l.tdsVersion);
    // Windows authentication: fIntSecurity, or an SSPI blob even without the flag (Arkime's
    // ntlm_synthetic.pcap sends NTLMSSP with OptionFlags2 0x03).
    const sspi = l.integratedSecurity || l.sspiLen > 0;
    r.integrated_auth = sspi;
    r.login_encrypted = false;
    this.phase = PHASE_LOGIN;
    if (l.sspiLen > 0) this.ntlm.token(ctx, true, m, l.sspiOff, l.sspiLen);
    // SQL Server authentication carries a login name (the password may be blank, itself a finding).
    if (sspi || l.userName === '') return;
    r.password = REDACTED;
    const c = ctx.conn;
    // Emitted with the login's record, once the server's verdict is known.
    this.cred = {
      type: 'credential',
      service: 'mssql',
      protocol: 'tds',
      mechanism: 'login7',
      user: l.userName,
      password: REDACTED,
      secret: secretDigest(p.decodePassword(m, l.passwordOff, l.passwordLen)),
      host: sideAddr(ctx, false),
      host_p: c.rPort,
      packet: ctx.packet.packetNo,
    };
  }

  private server(ctx: AnalyzerContext, type: number, m: Uint8Array): void {
    if (type === p.TYPE_PRELOGIN) {
      if (p.isTlsRecord(m, 0, m.length)) this.tlsData(ctx, false, m, 0, m.length);
      return;
    }
    if (type === p.TYPE_SSPI) {
      this.ntlm.token(ctx, false, m, 0, m.length);
      return;
    }
    if (type !== p.TYPE_RESPONSE) return;
    const r = this.rec;
    if (this.phase === PHASE_START) {
      if (r === null || this.serverEncryption !== -1) return;
      const pl = p.parsePrelogin(m, 0, m.length);
      if (pl === null) return;
      if (pl.encryption !== undefined) {
        this.serverEncryption = pl.encryption;
        r.encryption = p.encryptionName(pl.encryption);
      }
      if (pl.version !== undefined) {
        r.server_version = pl.version;
        this.software(ctx, 'Microsoft SQL Server', pl.version);
      }
      return;
    }
    if (this.phase !== PHASE_LOGIN || r === null) return;
    const t = p.parseTokens(m, 0, m.length);
    if (t.database !== undefined && r.database === undefined) r.database = t.database;
    if (t.loginAck !== undefined) {
      r.success = true;
      if (r.tds_version === undefined) r.tds_version = p.tdsVersionName(t.loginAck.tdsVersion);
      if (r.server_version === undefined) r.server_version = t.loginAck.version;
      this.software(ctx, t.loginAck.progName || 'Microsoft SQL Server', t.loginAck.version);
    } else if (t.errors.length > 0) {
      r.success = false;
      r.error_number = t.errors[0].number;
      r.error = t.errors[0].message;
    } else {
      // An SSPI challenge (token 0xED) comes before the verdict: keep waiting.
      this.sspiTokens(ctx, m);
      return;
    }
    this.ntlm.result(ctx, r.success);
    this.flush();
    this.phase = PHASE_DONE;
  }

  /** SSPI token 0xED in a login response: the server's half of an NTLM/SPNEGO exchange. */
  private sspiTokens(ctx: AnalyzerContext, m: Uint8Array): void {
    if (m.length >= 3 && m[0] === p.TOKEN_SSPI) {
      const n = m[1] | (m[2] << 8);
      if (3 + n <= m.length) this.ntlm.token(ctx, false, m, 3, n);
    }
  }

  private software(ctx: AnalyzerContext, name: string, version: string): void {
    if (this.softwareSent) return;
    this.softwareSent = true;
    ctx.emit({ type: 'software', host: sideAddr(ctx, false), host_p: ctx.conn.rPort, software_type: 'MSSQL::SERVER', unparsed_version: `${name}/${version}` });
  }

  private open(ctx: AnalyzerContext): MssqlLoginEvent {
    this.confirm(ctx);
    if (this.rec === null) {
      const pk = ctx.packet;
      this.rec = { type: 'mssql.login', tsSec: pk.tsSec, tsNsec: pk.tsNsec, packet: pk.packetNo };
    }
    return this.rec;
  }

  private flush(): void {
    const r = this.rec;
    if (r === null || this.ctx === null) return;
    this.rec = null;
    if (this.clientEncryption !== -1 && this.serverEncryption !== -1) {
      const n = p.negotiatedEncryption(this.clientEncryption, this.serverEncryption);
      if (r.login_encrypted === undefined) r.login_encrypted = n !== 'none';
      // ENCRYPT_OFF on both sides encrypts the login only: queries and results then go in clear.
      r.session_encrypted = n === 'all';
    }
    this.ctx.emit(r);
    const cred = this.cred;
    if (cred !== null) {
      this.cred = null;
      if (r.success !== undefined) cred.success = r.success;
      this.ctx.emit(cred);
    }
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('mssql');
  }
}
