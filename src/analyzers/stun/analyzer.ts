// Per-flow STUN/TURN state: every message's class and method, the identities its attributes
// carry (SOFTWARE of each side, USERNAME, REALM, error codes, mapped and relayed addresses),
// and a count of TURN ChannelData. WebRTC multiplexes STUN with DTLS and media on one flow
// (RFC 7983 §7: first byte 0–3 STUN, 20–63 DTLS, 64–79 ChannelData, 128–191 RTP/RTCP): the DTLS
// datagrams go to a TLS analyzer of the flow (conn.log `stun,dtls`), media is left alone.
// Over TCP (TURN on 3478, RFC 8489 §6.2.2) messages follow one another, delimited by their
// own length; ChannelData there is padded to 4 bytes (RFC 8656 §12.5).
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import { TlsAnalyzer } from '../tls/analyzer.js';
import type { StunSessionEvent } from './events.js';
import { PduFramer } from '../pdu-framer.js';
import { CLASS_ERROR, CLASS_INDICATION, CLASS_REQUEST, CLASS_SUCCESS, HEADER_LEN, METHODS, STUN_PORT, isChannelData, parseMessage } from './parse.js';

const MAX_METHODS = 16;
const METHOD_DATA = 0x007;
const MAX_ERRORS = 8;
const DTLS_FIRST_MIN = 20;
const DTLS_FIRST_MAX = 63;
/** Messages parsed per flow; later ones are only counted (long TURN sessions refresh for hours). */
const MAX_PARSED = 256;

/** A TCP message's total length from its first 4 bytes: STUN header + attributes, or padded ChannelData. */
function tcpLength(b: Uint8Array, off: number, avail: number): number {
  if (avail < 4) return 0;
  const n = (b[off + 2] << 8) | b[off + 3];
  if ((b[off] & 0xc0) === 0) return HEADER_LEN + n;
  if ((b[off] & 0xc0) === 0x40) return 4 + ((n + 3) & ~3);
  return -1;
}

/** Bytes of one TCP message kept when it arrives split. */
const MAX_KEEP = 4096;

export class StunAnalyzer implements FlowAnalyzer {
  private rec: StunSessionEvent | null = null;
  private tls: TlsAnalyzer | null = null;
  private parsed = 0;
  private bad = false;
  private framers: PduFramer[] | null = null;
  private ctx: AnalyzerContext | null = null;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (ctx.conn.proto === 6) {
      this.ctx = ctx;
      if (this.framers === null) {
        const opts = { maxHeader: 4, maxKeep: MAX_KEEP, lengthOf: tcpLength };
        this.framers = [
          new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.message(this.ctx!, true, b, o, n) }),
          new PduFramer(opts, { pdu: (b, o, n, _t, d) => !d && this.message(this.ctx!, false, b, o, n) }),
        ];
      }
      const f = this.framers[isOrig ? 0 : 1];
      if (!f.broken && !f.push(buf, off, len) && !this.bad) {
        this.bad = true;
        if (this.rec !== null) ctx.weird('stun.bad_framing');
      }
      return;
    }
    this.message(ctx, isOrig, buf, off, len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers?.[isOrig ? 0 : 1].gap(len);
  }

  private message(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (len === 0) return;
    const first = buf[off];
    if (first >= DTLS_FIRST_MIN && first <= DTLS_FIRST_MAX) {
      if (this.rec === null) return;
      this.tls ??= new TlsAnalyzer();
      this.tls.data(ctx, isOrig, buf, off, len);
      return;
    }
    if (isChannelData(buf, off, len)) {
      if (this.rec !== null) this.rec.channel_data++;
      return;
    }
    if (first >= 0x80) return; // RTP/RTCP media
    if (++this.parsed > MAX_PARSED) return;
    const c = ctx.conn;
    const m = parseMessage(buf, off, len, c.proto === 17 && (c.rPort === STUN_PORT || c.oPort === STUN_PORT));
    if (m === null) {
      if (!this.bad && this.rec !== null) ctx.weird('stun.bad_message');
      this.bad = true;
      return;
    }
    // The 32-bit magic cookie, an aligned length filling the datagram and a known method: no
    // coincidence makes that (nDPI takes one such message too).
    if (this.rec === null) ctx.confirm('stun');
    const r = (this.rec ??= this.start(ctx));
    const method = METHODS[m.method] ?? `0x${m.method.toString(16).padStart(3, '0')}`;
    if (!r.methods.includes(method) && r.methods.length < MAX_METHODS) r.methods.push(method);
    if (m.cls === CLASS_REQUEST) r.requests++;
    else if (m.cls === CLASS_INDICATION) r.indications++;
    else r.responses++;
    if (m.cls === CLASS_ERROR && m.errorCode !== undefined && !r.error_codes.includes(m.errorCode) && r.error_codes.length < MAX_ERRORS) r.error_codes.push(m.errorCode);
    // Requests come from the client, responses from the server; of the indications only TURN's
    // Data indication is the server's (RFC 8656 §11.6), the others (Send, keepalives) the client's.
    const fromClient = m.cls === CLASS_REQUEST || (m.cls === CLASS_INDICATION && m.method !== METHOD_DATA);
    if (m.software !== undefined) {
      if (fromClient && r.client_software === undefined) {
        r.client_software = m.software;
        ctx.emit({ type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'STUN::CLIENT', unparsed_version: m.software });
      } else if (!fromClient && r.server_software === undefined) {
        r.server_software = m.software;
        ctx.emit({ type: 'software', host: isOrig ? origHost(c) : respHost(c), host_p: isOrig ? c.oPort : c.rPort, software_type: 'STUN::SERVER', unparsed_version: m.software });
      }
    }
    if (m.cls === CLASS_REQUEST && m.username !== undefined) r.username ??= m.username;
    if (m.realm !== undefined) r.realm ??= m.realm;
    if (m.cls === CLASS_SUCCESS) {
      if (m.mappedAddress !== undefined) r.mapped_address ??= m.mappedAddress;
      if (m.relayedAddress !== undefined) r.relayed_address ??= m.relayedAddress;
    }
  }

  private start(ctx: AnalyzerContext): StunSessionEvent {
    const p = ctx.packet;
    return { type: 'stun.session', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, methods: [], requests: 0, responses: 0, indications: 0, error_codes: [], channel_data: 0 };
  }

  end(ctx: AnalyzerContext): void {
    this.tls?.end(ctx);
    if (this.rec === null) return;
    ctx.emit(this.rec);
    this.rec = null;
  }
}
