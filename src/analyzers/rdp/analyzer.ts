// Per-connection RDP state: TPKT/fast-path framing of both directions, the connection sequence
// up to the server security data, and the rdp.log record. Like Zeek, the record is written
// once: when nothing more can be learnt (TLS began, or the server's security data arrived),
// 10 seconds after the connection request, or when the connection ends.
import { probeSent } from '../exploit-probe.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { PduFramer } from '../pdu-framer.js';
import * as c from './consts.js';
import type { RdpSessionEvent } from './events.js';
import { isTlsRecord, parseConnectInitial, parseConnectResponse, parseConnectionConfirm, parseConnectionRequest, rdpFrameLength, TPKT_VERSION } from './parse.js';

/** Connection-sequence PDUs are small; client data with many monitors stays below 8 KiB. */
const MAX_KEEP = 16 * 1024;
/** Zeek's rdp_check_interval. */
const LOG_AFTER_S = 10;
const PROTOCOL_RDP = 0;
const MAX_PROTOCOL_BITS = 8;

export class RdpAnalyzer implements FlowAnalyzer {
  private readonly framers: [PduFramer, PduFramer];
  private ctx: AnalyzerContext | null = null;
  private rec: RdpSessionEvent | null = null;
  private done = false;
  private confirmed = false;
  private selected = -1;
  /** Parsing stopped: TLS/CredSSP or RDP encryption protects everything after this. */
  private encrypted = false;

  constructor() {
    const opts = { maxHeader: 4, maxKeep: MAX_KEEP, lengthOf: rdpFrameLength };
    this.framers = [
      new PduFramer(opts, { pdu: (b, o, n, t, d) => this.pdu(true, b, o, n, t, d) }),
      new PduFramer(opts, { pdu: (b, o, n, t, d) => this.pdu(false, b, o, n, t, d) }),
    ];
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    this.ctx = ctx;
    if (this.rec !== null && !this.done && ctx.packet.tsSec - this.rec.tsSec > LOG_AFTER_S) this.write();
    if (this.encrypted) return;
    if (this.selected > PROTOCOL_RDP && isTlsRecord(buf, off, len)) {
      this.beginEncryption();
      return;
    }
    const f = this.framers[isOrig ? 0 : 1];
    if (!f.broken && !f.push(buf, off, len)) {
      if (isTlsRecord(buf, off, len)) this.beginEncryption();
      else {
        ctx.weird('rdp.bad_framing');
        ctx.violation?.();
      }
    }
  }

  gap(ctx: AnalyzerContext, isOrig: boolean, len: number): void {
    this.ctx = ctx;
    this.framers[isOrig ? 0 : 1].gap(len);
  }

  end(ctx: AnalyzerContext): void {
    this.ctx = ctx;
    this.write();
  }

  private session(): RdpSessionEvent {
    if (this.rec === null) {
      const p = this.ctx!.packet;
      this.rec = { type: 'rdp.session', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, cert_count: 0 };
    }
    return this.rec;
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx!.confirm('rdp');
  }

  private beginEncryption(): void {
    this.encrypted = true;
    // The stream is TLS from this chunk on: the engine hands it to the TLS analyzer.
    this.ctx?.emit({ type: 'rdp.tls_begins' });
    const r = this.session();
    if (r.result === undefined) r.result = 'encrypted';
    if (this.selected >= 0) r.security_protocol = c.named(c.SECURITY_PROTOCOLS, this.selected, 'security_protocol');
    this.write();
  }

  /** Writes the record once (Zeek logs only records with a cookie, keyboard layout or result). */
  private write(): void {
    const r = this.rec;
    if (this.done || r === null || this.ctx === null) return;
    this.done = true;
    if (r.cookie !== undefined || r.keyboard_layout !== undefined || r.result !== undefined) this.ctx.emit(r);
  }

  private pdu(isOrig: boolean, buf: Uint8Array, off: number, len: number, total: number, damaged: boolean): void {
    if (this.ctx === null || damaged || this.encrypted || buf[off] !== TPKT_VERSION) return;
    void total;
    if (isOrig) {
      const cr = parseConnectionRequest(buf, off, len);
      if (cr !== null) {
        this.confirm();
        const r = this.session();
        if (cr.cookie !== undefined) r.cookie = cr.cookie;
        if (cr.requestedProtocols !== undefined) r.requested_protocols = protocols(cr.requestedProtocols);
        return;
      }
      const ci = parseConnectInitial(buf, off, len);
      if (ci !== null) {
        this.confirm();
        const r = this.session();
        if (ci.keyboardLayout !== undefined) r.keyboard_layout = c.keyboardLayout(ci.keyboardLayout);
        if (ci.clientBuild !== undefined) r.client_build = c.named(c.BUILDS, ci.clientBuild, 'client_build');
        if (ci.clientName !== undefined) r.client_name = ci.clientName;
        if (ci.digProductId !== undefined) r.client_dig_product_id = ci.digProductId;
        if (ci.desktopWidth !== undefined) r.desktop_width = ci.desktopWidth;
        if (ci.desktopHeight !== undefined) r.desktop_height = ci.desktopHeight;
        if (ci.want32bpp) r.requested_color_depth = '32bit';
        else if (ci.highColorDepth !== undefined) r.requested_color_depth = c.named(c.HIGH_COLOR_DEPTHS, ci.highColorDepth, 'high_color_depth');
        if (ci.channels !== undefined) r.client_channels = ci.channels;
        // MS_T120 is the channel Windows binds internally; a client declaring it is a BlueKeep
        // (CVE-2019-0708) scanner or exploit (rdpscan, Metasploit): no RDP client asks for it.
        if (ci.channels?.some((n) => n.toUpperCase() === 'MS_T120') === true) this.ctx.emit(probeSent('rdp.exploit_probe', 'bluekeep-ms-t120', this.ctx, isOrig));
      }
      return;
    }
    const cc = parseConnectionConfirm(buf, off, len);
    if (cc !== null) {
      this.confirm();
      const r = this.session();
      if (cc.failureCode !== undefined) r.result = c.named(c.FAILURE_CODES, cc.failureCode, 'failure_code');
      if (cc.selectedProtocol !== undefined) {
        this.selected = cc.selectedProtocol;
        r.security_protocol = c.named(c.SECURITY_PROTOCOLS, cc.selectedProtocol, 'security_protocol');
      }
      return;
    }
    const sd = parseConnectResponse(buf, off, len);
    if (sd !== null) {
      this.confirm();
      const r = this.session();
      if (sd.gccResult !== undefined) r.result = c.named(c.GCC_RESULTS, sd.gccResult, 'result');
      if (sd.encryptionMethod !== undefined) r.encryption_method = c.named(c.ENCRYPTION_METHODS, sd.encryptionMethod, 'encryption_method');
      if (sd.encryptionLevel !== undefined) r.encryption_level = c.named(c.ENCRYPTION_LEVELS, sd.encryptionLevel, 'encryption_level');
      if (sd.certType !== undefined) r.cert_type = c.named(c.CERT_TYPES, sd.certType, 'cert_type');
      if (sd.certPermanent !== undefined) r.cert_permanent = sd.certPermanent;
      if (sd.certCount !== undefined) r.cert_count = sd.certCount;
      // With RDP standard security the rest of the exchange is RC4-encrypted.
      if (sd.encryptionMethod !== undefined && sd.encryptionMethod !== 0) this.encrypted = true;
      this.write();
    }
  }
}

/** RDP_NEG_REQ requestedProtocols bits as names ("RDP" when none is set). */
function protocols(bits: number): string[] {
  if (bits === 0) return ['RDP'];
  const out: string[] = [];
  for (let i = 0; i < MAX_PROTOCOL_BITS; i++) {
    const b = 1 << i;
    if (bits & b) out.push(c.named(c.SECURITY_PROTOCOLS, b, 'security_protocol'));
  }
  return out;
}
