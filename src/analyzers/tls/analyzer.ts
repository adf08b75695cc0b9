// Per-flow TLS/DTLS state. TCP: each direction's stream is cut into records (a record may span
// segments: the unfinished tail is carried, at most one record); plaintext handshake records are
// joined into handshake messages (a message may span records, several may share one; at most
// MAX_HANDSHAKE_MESSAGE bytes are buffered per direction, a larger message is skipped). Ciphertext
// is skipped without buffering. UDP: each datagram holds whole DTLS records; fragmented handshake
// messages are joined when fragments arrive in order. The ssl.log summary follows Zeek's
// base/protocols/ssl/main.zeek (history letters, resumption, establishment).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { formatAddr } from '../../decode/packet.js';
import {
  CT_ALERT,
  CT_APPLICATION_DATA,
  CT_CHANGE_CIPHER_SPEC,
  CT_HANDSHAKE,
  CT_HEARTBEAT,
  DTLS_HANDSHAKE_HEADER,
  EXT_SESSION_TICKET,
  HANDSHAKE_HEADER,
  HS_CERTIFICATE,
  HS_CLIENT_HELLO,
  HS_CLIENT_KEY_EXCHANGE,
  HS_SERVER_HELLO,
  HS_SERVER_KEY_EXCHANGE,
  handshakeHeader,
  parseAlerts,
  parseCertificateList,
  parseClientHello,
  parseDtlsHandshakeHeader,
  parseDtlsRecordHeader,
  parseEcdhServerParams,
  parseHeartbeat,
  parseRecordHeader,
  parseServerHello,
  parseSslv2ClientHello,
  parseSslv2ServerHello,
  type ClientHello,
  type RecordHeader,
  type ServerHello,
} from './parse.js';
import { clientFingerprints, ja3sString, md5 } from './fingerprint.js';
import { alertName, cipherName, curveName, isTls13, versionName } from './names.js';
import { hostMatches, parseCertificateCached, type X509Info } from './x509.js';
import { nullMacLength } from './nullcipher.js';
import type { SslSession } from './events.js';

/** Largest handshake message buffered (certificate chains beyond this are skipped). */
export const MAX_HANDSHAKE_MESSAGE = 64 * 1024;
/** Certificates parsed per chain. */
const MAX_CHAIN = 16;
/** Zeek's SSL::max_ssl_history_length. */
const MAX_HISTORY = 100;
/** SSLv2 message types after the hellos (SSL 2.0 draft §2.6). */
const SSLV2_CLIENT_MASTER_KEY = 2;
const SSLV2_CLIENT_HELLO = 1;
const SSLV2_SERVER_HELLO = 4;
/** Zeek ignores an all-zero 32-byte session id when judging resumption. */
const ZERO_SESSION_ID = '00'.repeat(32);
const PROTO_UDP = 17;
/** RFC 7983 §7: first bytes 20–63 are DTLS on a multiplexed flow. */
const DTLS_FIRST_BYTE_MIN = 20;
const DTLS_FIRST_BYTE_MAX = 63;
/** RFC 9147 §4: a DTLS 1.3 unified header starts with the bits 001. */
const DTLS13_UNIFIED_MASK = 0xe0;
const DTLS13_UNIFIED_BITS = 0x20;
/** Well-formed ciphertext records in one direction that identify TLS without a hello. */
const RECORDS_TO_CONFIRM = 2;
/** Plaintext records of a NULL-cipher session probed for the protocol inside before giving up. */
const INNER_TRIES = 4;

/** Zeek's ssl_history letters per handshake type (lower case; the client's are upper-cased). */
const HISTORY: Record<number, string> = {
  0: 'h', 1: 'c', 2: 's', 3: 'v', 4: 't', 5: 'e', 6: 'j', 8: 'o', 11: 'x', 12: 'k', 13: 'r',
  14: 'n', 15: 'y', 16: 'g', 20: 'f', 21: 'w', 22: 'u', 23: 'a', 24: 'p', 254: 'm',
};

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array, off: number, len: number): Uint8Array {
  const out = new Uint8Array(a.length + len);
  out.set(a, 0);
  out.set(b.subarray(off, off + len), a.length);
  return out;
}

class Side {
  /** Unfinished record bytes (TCP). */
  carry: Uint8Array = EMPTY;
  /** Ciphertext bytes of the current record still to skip (TCP). */
  skip = 0;
  /** Unfinished handshake message bytes. */
  hs: Uint8Array = EMPTY;
  /** Bytes of an oversized handshake message still to drop. */
  hsSkip = 0;
  /** After this side's ChangeCipherSpec its records are ciphertext. */
  encrypted = false;
  records = 0;
  cipherRecords = 0;
  appData = false;
  broken = false;
  /** DTLS fragment assembly of one message. */
  fragSeq = -1;
  fragType = 0;
  frag: Uint8Array = EMPTY;
  fragFilled = 0;
  /** Length of the last heartbeat record (to compare a response with its request). */
  lastHeartbeatLen = 0;
}

export class TlsAnalyzer implements FlowAnalyzer {
  private readonly sides = [new Side(), new Side()];
  private dtls = false;
  /** Fed by the QUIC analyzer: the handshake travels in CRYPTO frames, without records. */
  private quic = false;
  private started = false;
  private logged = false;
  private confirmed = false;
  private sslv2Session = false;
  private flipped = false;
  private clientSeen = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packet = 0;
  /** Version field of the record being processed (the ClientHello event reports it). */
  private lastRecordVersion = 0;
  // ssl.log state (Zeek's SSL::Info)
  private versionNum: number | null = null;
  private cipher: number | null = null;
  private curve: number | null = null;
  private serverName: string | undefined;
  private sessionId: string | undefined;
  private resumed = false;
  private ticketEmptySession = false;
  private clientKeyExchange = false;
  private clientPsk = false;
  private lastAlert: string | undefined;
  private nextProtocol: string | undefined;
  private established = false;
  private history = '';
  private certFps: string[] | null = null;
  private clientCertFps: string[] | null = null;
  private hostCert: X509Info | null = null;
  private clientCert: X509Info | null = null;
  private serverChainLen = 0;
  private ja3: string | undefined;
  private ja3s: string | undefined;
  private ja4: string | undefined;
  private ja4r: string | undefined;
  private firstAlpn: string | undefined;
  private quicUserAgent: string | undefined;
  /** The session's cipher is a NULL suite: each application data record is plaintext and this many MAC bytes. */
  private nullMac = 0;
  /** The analyzer of the protocol inside a NULL-cipher session, once a probe named it. */
  private innerApp: FlowAnalyzer | null = null;
  /** Plaintext records no probe recognised yet; past INNER_TRIES the inside stays unread. */
  private innerTries = 0;
  private innerDone = false;
  private innerCtx: InnerContext | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto === PROTO_UDP) {
      this.dtls = true;
      this.datagram(ctx, isOrig, buf, off, len);
      return;
    }
    this.stream(ctx, isOrig, buf, off, len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    // The protocol inside a NULL-cipher session lost these bytes too.
    if (this.innerApp !== null && this.nullMac > 0) this.innerCall(ctx, () => this.innerApp!.gap?.(this.innerCtx!, isOrig, len));
    // A hole inside ciphertext being skipped costs nothing; anywhere else the framing is lost,
    // unless the hole ends inside the record it cut (a capture's snap length).
    if (s.skip >= len && s.carry.length === 0) s.skip -= len;
    else if (s.broken || this.dtls || s.carry.length === 0 || !this.cutRecord(ctx, isOrig, s, len)) s.broken = true;
  }

  /**
   * A gap cut the record being gathered (`s.carry`): a capture's snap length keeps a frame's
   * first bytes only, or a segment was lost (tls_missing_ch_frag.pcap, nDPI's). A hello's record and handshake headers still show TLS (nDPI counts such a
   * flow as TLS; Zeek, which drops cut segments, says nothing), though what the hello says is
   * lost: no hello event is made from a part. True when the gap ended inside that record, so
   * framing resumes after it.
   */
  private cutRecord(ctx: AnalyzerContext, isOrig: boolean, s: Side, gapLen: number): boolean {
    const c = s.carry;
    const h = parseRecordHeader(c, 0, c.length, s.records === 0 || this.sslv2Session);
    if (h === 'need_more' || h === 'bad' || h.v2) return false;
    const total = h.headerLen + h.length;
    if (h.type === CT_HANDSHAKE && s.hs.length === 0 && s.hsSkip === 0) {
      const hh = handshakeHeader(c, h.headerLen, c.length - h.headerLen);
      if (hh !== null && (hh.type === HS_CLIENT_HELLO || hh.type === HS_SERVER_HELLO) && hh.length <= MAX_HANDSHAKE_MESSAGE) {
        this.begin(ctx);
        this.addHistory(isOrig, HISTORY[hh.type]);
        if (!this.confirmed) {
          ctx.confirm('ssl');
          this.confirmed = true;
        }
        // The hello's bytes in later records (a hello split over records) are lost with it.
        s.hsSkip = Math.max(0, HANDSHAKE_HEADER + hh.length - h.length);
      }
    }
    if (c.length + gapLen > total) return false;
    s.carry = EMPTY;
    s.records++;
    s.skip = total - c.length - gapLen;
    return true;
  }

  end(ctx: AnalyzerContext): void {
    if (this.started && !this.logged) this.log(ctx);
    if (this.innerApp !== null) this.innerCall(ctx, () => this.innerApp!.end?.(this.innerCtx!));
  }

  /**
   * The next in-order bytes of a TLS stream another protocol carries in its own packets and
   * puts in order itself (OpenVPN's control channel, over UDP as over TCP): records, as on TCP.
   */
  channel(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.stream(ctx, isOrig, buf, off, len);
  }

  /**
   * The next in-order bytes of a QUIC connection's CRYPTO stream at one encryption level
   * (RFC 9001 §4: TLS handshake messages without the record layer), from the QUIC analyzer.
   */
  quicCrypto(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.quic = true;
    this.handshakeRecord(ctx, isOrig, buf, off, len);
  }

  /** What quic.log repeats from the ClientHello: the server name and the first ALPN protocol. */
  get quicClientFacts(): { serverName?: string; alpn?: string; userAgent?: string } {
    return { serverName: this.serverName, alpn: this.firstAlpn, userAgent: this.quicUserAgent };
  }

  // ---- TCP record layer -------------------------------------------------------------------

  private stream(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.broken) return;
    if (s.skip > 0) {
      const n = Math.min(s.skip, len);
      s.skip -= n;
      off += n;
      len -= n;
      if (len === 0) return;
    }
    let b = buf;
    let o = off;
    let l = len;
    if (s.carry.length > 0) {
      b = concat(s.carry, buf, off, len);
      o = 0;
      l = b.length;
      s.carry = EMPTY;
    }
    while (l > 0 && !s.broken) {
      const allowV2 = s.records === 0 || this.sslv2Session;
      const h = parseRecordHeader(b, o, l, allowV2);
      if (h === 'need_more') break;
      if (h === 'bad') {
        // SSLv2 records after the hellos have three-byte headers and are encrypted: stop quietly.
        if (!this.sslv2Session) {
          ctx.weird(s.records === 0 ? 'ssl.not_tls' : 'ssl.bad_record');
          if (s.records === 0) ctx.violation?.();
        }
        s.broken = true;
        return;
      }
      const total = h.headerLen + h.length;
      if (this.nullMac > 0 && h.type === CT_APPLICATION_DATA && !h.v2 && s.encrypted) {
        // NULL cipher: the record is read whole, its plaintext handed to the protocol inside.
        if (l < total) break;
        s.records++;
        this.ciphertext(ctx, isOrig, h);
        if (h.length > this.nullMac) this.inner(ctx, isOrig, b, o + h.headerLen, h.length - this.nullMac);
        o += total;
        l -= total;
        continue;
      }
      if (this.isCiphertext(s, h)) {
        this.ciphertext(ctx, isOrig, h);
        s.records++;
        const have = Math.min(l, total);
        o += have;
        l -= have;
        s.skip = total - have;
        continue;
      }
      if (l < total) break;
      s.records++;
      this.record(ctx, isOrig, h, b, o + h.headerLen, h.length);
      o += total;
      l -= total;
    }
    // An unfinished record: keep it (its header bounded it to one legal record).
    if (l > 0 && !s.broken) s.carry = b.slice(o, o + l);
    // Ciphertext records exactly filling what arrived: a session caught mid-way (one record
    // retransmitted, say) is still recognisably TLS.
    else if (!this.confirmed && l === 0 && s.skip === 0 && s.cipherRecords > 0 && s.cipherRecords === s.records) {
      ctx.confirm('ssl');
      this.confirmed = true;
    }
  }

  /** Plaintext of a NULL-cipher session: to the analyzer of the protocol inside, found by probing. */
  private inner(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    if (this.innerDone) return;
    if (this.innerApp === null) {
      const a = ctx.inner?.(b, off, len, isOrig) ?? null;
      if (a === null) {
        if (++this.innerTries >= INNER_TRIES) this.innerDone = true;
        return;
      }
      this.innerApp = a;
      this.innerCtx = new InnerContext(ctx, () => {
        this.innerDone = true;
      });
    }
    const a = this.innerApp;
    const ic = this.innerCtx!;
    this.innerCall(ctx, () => a.data(ic, isOrig, b, off, len));
  }

  /** One call into the inner analyzer: its failure ends the inside's reading, never the session's. */
  private innerCall(ctx: AnalyzerContext, f: () => void): void {
    if (this.innerDone) return;
    try {
      f();
    } catch {
      ctx.weird('ssl.null_cipher_inner_failed');
      this.innerDone = true;
    }
  }

  private isCiphertext(s: Side, h: RecordHeader): boolean {
    if (h.v2) return false;
    if (h.type === CT_APPLICATION_DATA) return true;
    if (this.dtls) return h.epoch > 0;
    return s.encrypted && h.type !== CT_CHANGE_CIPHER_SPEC;
  }

  // ---- DTLS -------------------------------------------------------------------------------

  private datagram(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.broken) return;
    // WebRTC multiplexes STUN, DTLS and RTP on one flow; RFC 7983 §7 tells them apart by the
    // first byte. Datagrams outside DTLS's range belong to the others.
    if (len === 0 || buf[off] < DTLS_FIRST_BYTE_MIN || buf[off] > DTLS_FIRST_BYTE_MAX) return;
    if ((buf[off] & DTLS13_UNIFIED_MASK) === DTLS13_UNIFIED_BITS) {
      // A DTLS 1.3 ciphertext record (RFC 9147 §4: unified header); its type is encrypted.
      s.records++;
      this.ciphertext(ctx, isOrig, { type: CT_APPLICATION_DATA, version: 0, length: len, headerLen: 1, epoch: 1, v2: false });
      if (!this.confirmed) {
        ctx.confirm('dtls');
        this.confirmed = true;
      }
      return;
    }
    let o = off;
    let l = len;
    while (l > 0) {
      const h = parseDtlsRecordHeader(buf, o, l);
      if (h === 'need_more' || h === 'bad') {
        ctx.weird('dtls.bad_record');
        return;
      }
      const total = h.headerLen + h.length;
      if (l < total) {
        ctx.weird('dtls.truncated_record');
        return;
      }
      s.records++;
      if (this.isCiphertext(s, h)) this.ciphertext(ctx, isOrig, h);
      else this.record(ctx, isOrig, h, buf, o + h.headerLen, h.length);
      o += total;
      l -= total;
    }
    // Whole DTLS records filling a datagram exactly: DTLS even when caught mid-session.
    if (!this.confirmed && s.cipherRecords > 0) {
      ctx.confirm('dtls');
      this.confirmed = true;
    }
  }

  /** One DTLS handshake record: 12-byte headers with fragment offsets (RFC 6347 §4.2.2). */
  private dtlsHandshake(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    let o = off;
    let l = len;
    while (l > 0) {
      const h = parseDtlsHandshakeHeader(b, o, l);
      if (h === 'need_more' || h === 'bad' || l < DTLS_HANDSHAKE_HEADER + h.fragmentLength) {
        ctx.weird('dtls.bad_handshake');
        return;
      }
      const body = o + DTLS_HANDSHAKE_HEADER;
      if (h.fragmentOffset === 0 && h.fragmentLength === h.length) {
        this.handshake(ctx, isOrig, h.type, b, body, h.length);
      } else if (h.length <= MAX_HANDSHAKE_MESSAGE) {
        if (h.fragmentOffset === 0) {
          s.fragSeq = h.messageSeq;
          s.fragType = h.type;
          s.frag = new Uint8Array(h.length);
          s.fragFilled = 0;
        }
        if (s.fragSeq === h.messageSeq && h.fragmentOffset === s.fragFilled && s.frag.length === h.length) {
          s.frag.set(b.subarray(body, body + h.fragmentLength), h.fragmentOffset);
          s.fragFilled += h.fragmentLength;
          if (s.fragFilled === h.length) {
            const m = s.frag;
            s.frag = EMPTY;
            s.fragSeq = -1;
            this.handshake(ctx, isOrig, s.fragType, m, 0, m.length);
          }
        }
      }
      o += DTLS_HANDSHAKE_HEADER + h.fragmentLength;
      l -= DTLS_HANDSHAKE_HEADER + h.fragmentLength;
    }
  }

  // ---- records ----------------------------------------------------------------------------

  private begin(ctx: AnalyzerContext): void {
    if (this.started) return;
    this.started = true;
    this.tsSec = ctx.packet.tsSec;
    this.tsNsec = ctx.packet.tsNsec;
    this.packet = ctx.packet.packetNo;
  }

  private isClient(isOrig: boolean): boolean {
    return isOrig !== this.flipped;
  }

  private addHistory(isOrig: boolean, letter: string): void {
    if (this.history.length >= MAX_HISTORY) return;
    this.history += this.isClient(isOrig) ? letter.toUpperCase() : letter;
  }

  private record(ctx: AnalyzerContext, isOrig: boolean, h: RecordHeader, b: Uint8Array, off: number, len: number): void {
    if (h.v2) {
      this.sslv2Record(ctx, isOrig, b, off, len);
      return;
    }
    this.lastRecordVersion = h.version;
    switch (h.type) {
      case CT_HANDSHAKE:
        if (this.dtls) this.dtlsHandshake(ctx, isOrig, b, off, len);
        else this.handshakeRecord(ctx, isOrig, b, off, len);
        break;
      case CT_CHANGE_CIPHER_SPEC:
        this.begin(ctx);
        this.addHistory(isOrig, 'i');
        this.sides[isOrig ? 0 : 1].encrypted = true;
        if (this.isClient(isOrig) && this.ticketEmptySession && !this.clientKeyExchange) this.resumed = true;
        break;
      case CT_ALERT: {
        const alerts = parseAlerts(b, off, len);
        if (alerts === null) {
          // Not plaintext alerts: an encrypted alert (e.g. a session caught after its handshake).
          this.ciphertext(ctx, isOrig, h);
          break;
        }
        this.begin(ctx);
        for (const [level, desc] of alerts) {
          this.addHistory(isOrig, 'l');
          this.lastAlert = alertName(desc);
          ctx.emit({ type: 'ssl.alert', is_orig: isOrig, level, description: this.lastAlert, packet: ctx.packet.packetNo });
        }
        break;
      }
      case CT_HEARTBEAT: {
        this.begin(ctx);
        this.addHistory(isOrig, 'b');
        const hb = parseHeartbeat(b, off, len);
        const ev: Record<string, unknown> = { type: 'ssl.heartbeat', is_orig: isOrig, encrypted: false, record_length: len, packet: ctx.packet.packetNo };
        if (hb !== 'bad') {
          ev.heartbeat_type = hb.type;
          ev.payload_length = hb.payloadLength;
        }
        // RFC 6520 §4: type (1) + payload_length (2) + payload must fit in the record.
        ev.heartbleed = hb !== 'bad' && hb.payloadLength + 3 > len;
        ctx.emit(ev as { type: string });
        break;
      }
      default:
        ctx.weird(this.dtls ? 'dtls.unknown_record_type' : 'ssl.unknown_record_type');
    }
  }

  private ciphertext(ctx: AnalyzerContext, isOrig: boolean, h: RecordHeader): void {
    const s = this.sides[isOrig ? 0 : 1];
    s.cipherRecords++;
    // A session caught after its handshake shows only ciphertext records; well-formed ones in a
    // row are TLS all the same (nDPI agrees; Zeek, which waits for a hello, would say nothing).
    if (!this.confirmed && s.cipherRecords >= RECORDS_TO_CONFIRM) {
      ctx.confirm(this.dtls ? 'dtls' : 'ssl');
      this.confirmed = true;
    }
    if (h.type === CT_APPLICATION_DATA) s.appData = true;
    if (h.type === CT_HEARTBEAT) {
      // An encrypted heartbeat: only its size is visible. A response far larger than the request
      // is the signature of a Heartbleed over-read on an established session.
      const other = this.sides[isOrig ? 1 : 0];
      const suspicious = other.lastHeartbeatLen > 0 && h.length > other.lastHeartbeatLen * 2 && h.length > 1024;
      s.lastHeartbeatLen = h.length;
      ctx.emit({ type: 'ssl.heartbeat', is_orig: isOrig, encrypted: true, record_length: h.length, heartbleed: suspicious, packet: ctx.packet.packetNo });
    }
    const [c, sv] = this.sides;
    const tls13 = this.versionNum !== null && isTls13(this.versionNum);
    if (!this.established && ((c.encrypted && sv.encrypted) || (tls13 && c.appData && sv.appData))) {
      this.established = true;
      if (this.started && !this.logged) this.log(ctx);
    }
  }

  private handshakeRecord(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    const s = this.sides[isOrig ? 0 : 1];
    if (s.hsSkip > 0) {
      const n = Math.min(s.hsSkip, len);
      s.hsSkip -= n;
      off += n;
      len -= n;
      if (len === 0) return;
    }
    let m = b;
    let o = off;
    let l = len;
    if (s.hs.length > 0) {
      m = concat(s.hs, b, off, len);
      o = 0;
      l = m.length;
      s.hs = EMPTY;
    }
    while (l > 0) {
      const hh = handshakeHeader(m, o, l);
      if (hh === null) break;
      const total = HANDSHAKE_HEADER + hh.length;
      if (hh.length > MAX_HANDSHAKE_MESSAGE) {
        ctx.weird('ssl.handshake_message_too_long');
        this.begin(ctx);
        this.addHistory(isOrig, HISTORY[hh.type] ?? 'z');
        const have = Math.min(l, total);
        s.hsSkip = total - have;
        o += have;
        l -= have;
        continue;
      }
      if (l < total) break;
      this.handshake(ctx, isOrig, hh.type, m, o + HANDSHAKE_HEADER, hh.length);
      o += total;
      l -= total;
    }
    if (l > 0) s.hs = m.slice(o, o + l);
  }

  /** One complete handshake message (header stripped). */
  private handshake(ctx: AnalyzerContext, isOrig: boolean, type: number, b: Uint8Array, off: number, len: number): void {
    this.begin(ctx);
    // A hello framed correctly by both the record and the handshake layer is TLS even when its
    // body is damaged (nDPI counts it; Zeek would report a protocol violation instead).
    if (!this.confirmed && (type === HS_CLIENT_HELLO || type === HS_SERVER_HELLO)) {
      ctx.confirm(this.dtls ? 'dtls' : 'ssl');
      this.confirmed = true;
    }
    switch (type) {
      case HS_CLIENT_HELLO: {
        const ch = parseClientHello(b, off, len, this.dtls);
        if (ch === 'bad' || ch.partial) ctx.weird(this.dtls ? 'dtls.bad_client_hello' : 'ssl.bad_client_hello');
        if (ch === 'bad') {
          this.addHistory(isOrig, 'c');
          return;
        }
        if (!this.clientSeen && !isOrig) {
          // The responder sent the ClientHello (e.g. DTLS set up by STUN): Zeek flips roles.
          this.flipped = true;
          if (this.history.length < MAX_HISTORY) this.history += '^';
        }
        this.addHistory(isOrig, 'c');
        this.clientHello(ctx, ch, this.lastRecordVersion);
        return;
      }
      case HS_SERVER_HELLO: {
        const sh = parseServerHello(b, off, len);
        if (sh === 'bad') {
          ctx.weird(this.dtls ? 'dtls.bad_server_hello' : 'ssl.bad_server_hello');
          this.addHistory(isOrig, 's');
          return;
        }
        this.addHistory(isOrig, sh.helloRetry ? 'j' : 's');
        this.serverHello(ctx, sh);
        return;
      }
      case HS_CERTIFICATE: {
        this.addHistory(isOrig, 'x');
        // TLS 1.3 certificates travel encrypted; a plaintext one there has a different layout.
        if (this.versionNum !== null && isTls13(this.versionNum)) return;
        const certs = parseCertificateList(b, off, len, MAX_CHAIN);
        if (certs === 'bad') {
          ctx.weird('ssl.bad_certificate_message');
          return;
        }
        this.certificates(ctx, isOrig, certs);
        return;
      }
      case HS_SERVER_KEY_EXCHANGE: {
        this.addHistory(isOrig, 'k');
        const name = this.cipher !== null ? cipherName(this.cipher) : '';
        if (name.includes('_ECDHE_') || name.includes('_ECDH_anon_')) {
          const g = parseEcdhServerParams(b, off, len);
          if (g !== null) this.curve = g;
        }
        return;
      }
      case HS_CLIENT_KEY_EXCHANGE:
        if (this.isClient(isOrig)) this.clientKeyExchange = true;
        this.addHistory(isOrig, 'g');
        return;
      default:
        this.addHistory(isOrig, HISTORY[type] ?? 'z');
    }
  }

  private clientHello(ctx: AnalyzerContext, ch: ClientHello, recordVersion: number): void {
    this.clientSeen = true;
    if (!this.confirmed) {
      ctx.confirm(this.dtls ? 'dtls' : 'ssl');
      this.confirmed = true;
    }
    if (ch.sessionId.length > 0 && ch.sessionId !== ZERO_SESSION_ID) {
      this.sessionId = ch.sessionId;
      this.ticketEmptySession = false;
    } else if (ch.extensions.includes(EXT_SESSION_TICKET) && ch.sessionTicketLen > 0) this.ticketEmptySession = true;
    if (ch.psk) this.clientPsk = true;
    if (ch.serverNames.length > 0 && this.serverName === undefined) {
      this.serverName = ch.serverNames[0];
      if (ch.serverNames.length > 1) ctx.weird('ssl.many_server_names');
    }
    const ev: Record<string, unknown> = {
      type: 'ssl.client_hello',
      dtls: this.dtls,
      sslv2: ch.v2,
      record_version: recordVersion,
      version: ch.version,
      supported_versions: ch.supportedVersions,
      ciphers: ch.ciphers,
      compression: ch.compression,
      extensions: ch.extensions,
      alpn: ch.alpn,
      groups: ch.groups,
      point_formats: ch.pointFormats,
      sig_algs: ch.sigAlgs,
      packet: ctx.packet.packetNo,
    };
    if (ch.serverNames.length > 0) ev.server_name = ch.serverNames[0];
    if (ch.alpn.length > 0) this.firstAlpn ??= ch.alpn[0];
    if (this.quic) ev.quic = true;
    if (ch.quicUserAgent !== '') this.quicUserAgent ??= ch.quicUserAgent;
    // JA3/JA4 of a hello whose extensions broke off would name a client that does not exist.
    if (!ch.v2 && !ch.partial) {
      const facts = {
        version: ch.version,
        ciphers: ch.ciphers,
        extensions: ch.extensions,
        groups: ch.groups,
        pointFormats: ch.pointFormats,
        supportedVersions: ch.supportedVersions,
        sigAlgs: ch.sigAlgs,
        alpn: ch.alpn,
        hasSni: ch.extensions.includes(0),
      };
      const fp = clientFingerprints(facts, this.quic ? 'q' : this.dtls ? 'd' : 't');
      ev.ja3 = fp.ja3;
      ev.ja3_string = fp.ja3String;
      ev.ja4 = fp.ja4;
      ev.ja4_r = fp.ja4_r;
      if (this.ja3 === undefined) {
        this.ja3 = fp.ja3;
        this.ja4 = fp.ja4;
        this.ja4r = fp.ja4_r;
      }
    }
    ctx.emit(ev as { type: string });
  }

  private serverHello(ctx: AnalyzerContext, sh: ServerHello): void {
    if (!this.confirmed) {
      ctx.confirm(this.dtls ? 'dtls' : 'ssl');
      this.confirmed = true;
    }
    // A supported_versions extension overrides the legacy field (RFC 8446 §4.2.1).
    const version = sh.selectedVersion ?? sh.version;
    this.versionNum = version;
    this.cipher = sh.cipher;
    // A NULL suite (never one of TLS 1.3's, nor over DTLS here): the records stay readable.
    this.nullMac = this.dtls || isTls13(version) ? 0 : nullMacLength(sh.cipher);
    if (sh.keyShareGroup !== null) this.curve = sh.keyShareGroup;
    if (sh.alpn.length > 0) this.nextProtocol = sh.alpn[0];
    if (sh.psk && this.clientPsk) this.resumed = true;
    if (this.sessionId !== undefined && this.sessionId === sh.sessionId && version >> 8 !== 0x7f && !isTls13(version)) this.resumed = true;
    const ev: Record<string, unknown> = {
      type: 'ssl.server_hello',
      dtls: this.dtls,
      sslv2: sh.v2Certificate !== null || version === 0x0002,
      hello_retry: sh.helloRetry,
      version,
      version_name: versionName(version),
      legacy_version: sh.version,
      cipher: sh.cipher,
      cipher_name: cipherName(sh.cipher),
      compression: sh.compression,
      extensions: sh.extensions,
      packet: ctx.packet.packetNo,
    };
    if (this.nextProtocol !== undefined) ev.next_protocol = this.nextProtocol;
    if (version !== 0x0002) {
      const s = ja3sString(sh.version, sh.cipher, sh.extensions);
      ev.ja3s = md5(s);
      ev.ja3s_string = s;
      if (!sh.helloRetry || this.ja3s === undefined) this.ja3s = ev.ja3s as string;
    }
    ctx.emit(ev as { type: string });
  }

  private certificates(ctx: AnalyzerContext, isOrig: boolean, certs: Uint8Array[]): void {
    const fps: string[] = [];
    const c = ctx.conn;
    const fromClient = this.isClient(isOrig);
    // The server is the sender of a server chain and the receiver of a client chain.
    const serverIsResp = fromClient === isOrig;
    const server = serverIsResp ? formatAddr(c.r0, c.r1, c.r2, c.r3) : formatAddr(c.o0, c.o1, c.o2, c.o3);
    const now = ctx.packet.tsSec;
    for (let i = 0; i < certs.length; i++) {
      const info = parseCertificateCached(certs[i]);
      if (info === null) {
        ctx.weird('x509.bad_certificate');
        continue;
      }
      fps.push(info.fingerprint);
      if (i === 0) {
        if (fromClient) this.clientCert = info;
        else this.hostCert = info;
      }
      ctx.emit({
        type: 'ssl.certificate',
        is_orig: isOrig,
        index: i,
        host_cert: i === 0 && !fromClient,
        client_cert: i === 0 && fromClient,
        server,
        cert: info,
        expired: info.not_valid_after !== null && now > info.not_valid_after,
        not_yet_valid: info.not_valid_before !== null && now < info.not_valid_before,
        self_signed: info.self_issued,
        packet: ctx.packet.packetNo,
      });
    }
    if (fromClient) this.clientCertFps = fps;
    else {
      this.certFps = fps;
      this.serverChainLen = certs.length;
      // Zeek starts the client's chain (empty) together with the server's.
      this.clientCertFps ??= [];
    }
  }

  // ---- SSLv2 ------------------------------------------------------------------------------

  private sslv2Record(ctx: AnalyzerContext, isOrig: boolean, b: Uint8Array, off: number, len: number): void {
    this.begin(ctx);
    const type = len > 0 ? b[off] : -1;
    if (type === SSLV2_CLIENT_HELLO) {
      const ch = parseSslv2ClientHello(b, off, len);
      if (ch === 'bad') {
        ctx.weird('ssl.bad_sslv2_client_hello');
        return;
      }
      // Zeek adds the letter itself: an SSLv2 hello has no handshake layer.
      this.addHistory(isOrig, 'c');
      this.clientHello(ctx, ch, 0);
    } else if (type === SSLV2_SERVER_HELLO) {
      const sh = parseSslv2ServerHello(b, off, len);
      if (sh === 'bad') {
        ctx.weird('ssl.bad_sslv2_server_hello');
        return;
      }
      this.sslv2Session = true;
      this.addHistory(isOrig, 's');
      this.serverHello(ctx, sh);
      if (sh.v2Certificate !== null) this.certificates(ctx, isOrig, [sh.v2Certificate]);
    } else if (type === SSLV2_CLIENT_MASTER_KEY && this.sslv2Session) {
      // SSLv2 is established once the client sends its master key; the rest is encrypted.
      this.established = true;
      if (!this.logged) this.log(ctx);
      this.sides[0].broken = this.sides[1].broken = true;
    }
  }

  // ---- ssl.log ------------------------------------------------------------------------------

  private log(ctx: AnalyzerContext): void {
    this.logged = true;
    const ev: SslSession = {
      type: 'ssl.session',
      ts_sec: this.tsSec,
      ts_nsec: this.tsNsec,
      dtls: this.dtls,
      resumed: this.resumed,
      established: this.established,
      ssl_history: this.history,
      packet: this.packet,
    };
    if (this.versionNum !== null) {
      ev.version_num = this.versionNum;
      ev.version = versionName(this.versionNum);
    }
    if (this.cipher !== null) ev.cipher = cipherName(this.cipher);
    if (this.curve !== null) ev.curve = curveName(this.curve);
    if (this.serverName !== undefined) ev.server_name = this.serverName;
    if (this.lastAlert !== undefined) ev.last_alert = this.lastAlert;
    if (this.nextProtocol !== undefined) ev.next_protocol = this.nextProtocol;
    if (this.certFps !== null) ev.cert_chain_fps = this.certFps;
    if (this.clientCertFps !== null) ev.client_cert_chain_fps = this.clientCertFps;
    if (this.hostCert !== null) {
      ev.subject = this.hostCert.subject;
      ev.issuer = this.hostCert.issuer;
      if (this.serverName !== undefined) {
        const names = this.hostCert.san_dns ?? this.hostCert.subject_cn;
        ev.sni_matches_cert = names.some((n) => hostMatches(this.serverName!, n));
      }
      // Without a trust store only one verdict is certain: a lone self-issued certificate.
      if (this.serverChainLen === 1 && this.hostCert.self_issued) ev.validation_status = 'self signed certificate';
    }
    if (this.clientCert !== null) {
      ev.client_subject = this.clientCert.subject;
      ev.client_issuer = this.clientCert.issuer;
    }
    if (this.ja3 !== undefined) ev.ja3 = this.ja3;
    if (this.ja3s !== undefined) ev.ja3s = this.ja3s;
    if (this.ja4 !== undefined) ev.ja4 = this.ja4;
    if (this.ja4r !== undefined) ev.ja4_r = this.ja4r;
    ctx.emit(ev);
  }
}

/**
 * The context the protocol inside a NULL-cipher session sees: the session's own, except that
 * letting go of the flow (release) stops the inside's reading instead of the TLS analyzer's.
 */
class InnerContext implements AnalyzerContext {
  constructor(
    private readonly outer: AnalyzerContext,
    private readonly onRelease: () => void,
  ) {}
  get conn(): AnalyzerContext['conn'] {
    return this.outer.conn;
  }
  get packet(): AnalyzerContext['packet'] {
    return this.outer.packet;
  }
  emit(ev: Parameters<AnalyzerContext['emit']>[0]): void {
    this.outer.emit(ev);
  }
  weird(name: string): void {
    this.outer.weird(name);
  }
  confirm(service: string): void {
    this.outer.confirm(service);
  }
  release(): void {
    this.onRelease();
  }
}
