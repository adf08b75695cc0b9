// Per-flow SCCP state: messages cut from each direction's TCP stream by their length field; which
// side is the station learnt from the first message only one side sends; the RegisterReq's
// identity, the call manager's answer and firmware version kept; calls counted by CallState's call
// reference, media by StartMediaTransmission and its RTP destination. CallInfo, DialedNumber and
// display messages are counted and named but never read: they carry the parties' names and
// numbers. One sccp.session event when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import type { SccpSession } from './events.js';
import type { MediaAnnounce } from '../rtp/events.js';
import { CALL_STATE, FROM_STATION, PHONE_UI, REGISTER_ACK, REGISTER_REJECT, REGISTER_REQ, START_MEDIA_TRANSMISSION, VERSION, messageName, messageSender } from './messages.js';
import { deviceModel } from './models.js';
import { MAX_DATA_LEN, callStateReference, mediaDestination, messageSize, parseRegister, parseRejectText, parseVersion, readHeader, sepMac } from './parse.js';

const MAX_NAMES = 32;
const MAX_PEERS = 16;
/** Call references remembered to count distinct calls; a long-lived phone connection makes many. */
const MAX_CALLS = 1024;

export class SccpAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private readonly s: SccpSession = { type: 'sccp.session', tsSec: 0, tsNsec: 0, packet: 0, messages: 0, calls: 0, media: 0, media_peers: [], message_names: [] };
  private readonly callRefs = new Set<number>();
  private confirmed = false;

  constructor() {
    super(8 + MAX_DATA_LEN, 'sccp.bad_length');
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    const n = messageSize(buf, off, len);
    return n === 0 ? FRAME_NEED_MORE : n < 0 ? FRAME_BAD : n;
  }

  pdu(buf: Uint8Array, off: number, len: number): void {
    // messageSize() framed it: at least the 12-byte header.
    const s = this.s;
    if (!this.confirmed) {
      this.confirmed = true;
      confirmSummary(this.ctx!, s, 'sccp');
    }
    const h = readHeader(buf, off);
    const id = h.id;
    s.messages++;
    if (s.message_names.length < MAX_NAMES) {
      const name = messageName(id) ?? `0x${id.toString(16).padStart(4, '0')}`;
      if (!s.message_names.includes(name)) s.message_names.push(name);
    }
    const sender = messageSender(id);
    if (sender !== 0 && s.station_is_orig === undefined) s.station_is_orig = (sender === FROM_STATION) === this.isOrig;
    if (PHONE_UI.has(id)) s.phone_ui = true;
    switch (id) {
      case REGISTER_REQ:
        this.register(buf, off, len);
        return;
      case REGISTER_ACK:
        s.registered = true;
        return;
      case REGISTER_REJECT: {
        s.registered = false;
        const t = parseRejectText(buf, off, len);
        if (t !== null && t !== '') s.reject_reason ??= t;
        return;
      }
      case VERSION: {
        const v = parseVersion(buf, off, len);
        if (v !== null && v !== '') s.firmware ??= v;
        return;
      }
      case CALL_STATE: {
        const ref = callStateReference(buf, off, len);
        if (ref >= 0 && this.callRefs.size < MAX_CALLS && !this.callRefs.has(ref)) {
          this.callRefs.add(ref);
          s.calls = this.callRefs.size;
        }
        return;
      }
      case START_MEDIA_TRANSMISSION: {
        s.media++;
        const to = mediaDestination(buf, off, len, h.version);
        if (to === null) return;
        if (s.media_peers.length < MAX_PEERS && !s.media_peers.includes(to)) s.media_peers.push(to);
        this.announce(to);
        return;
      }
    }
  }

  /**
   * The call manager told the station where to send its audio: the engine expects that RTP flow
   * (as it does a SIP SDP's), so it is named from its first packet and judged as media of a call
   * whose signalling was seen in clear. SCCP outside TLS carries no SRTP keys (Unified CM sends
   * them only to stations registered over TLS), so the stream is plain RTP.
   */
  private announce(to: string): void {
    const i = to.lastIndexOf(':');
    const port = Number(to.slice(i + 1));
    if (i <= 0 || port === 0) return;
    const host = to.startsWith('[') ? to.slice(1, i - 1) : to.slice(0, i);
    const p = this.ctx!.packet;
    const ev: MediaAnnounce = { type: 'sccp.media', tsSec: p.tsSec, tsNsec: p.tsNsec, packet: p.packetNo, host, port, rtcp_port: -1, media: 'audio', proto: 'RTP/AVP', srtp: false, crypto: false, codecs: {} };
    this.ctx!.emit(ev);
  }

  private register(buf: Uint8Array, off: number, len: number): void {
    const r = parseRegister(buf, off, len);
    if (r === null) {
      this.ctx!.weird('sccp.bad_register');
      return;
    }
    // A station registers once per connection; a second RegisterReq (a retry) says the same.
    const s = this.s;
    if (s.device_name !== undefined) return;
    s.device_name = r.deviceName;
    const mac = sepMac(r.deviceName);
    if (mac !== null) s.mac = mac;
    s.station_ip = r.stationIp;
    s.device_type = r.deviceType;
    if (r.deviceType !== undefined) {
      const m = deviceModel(r.deviceType);
      if (m !== undefined) {
        s.model = m.model;
        s.station_kind = m.kind;
      }
    }
    s.max_streams = r.maxStreams;
    s.protocol_version = r.protocolVersion;
    // The load the station runs outranks the one the call manager says it should run.
    if (r.firmware !== undefined) s.firmware = r.firmware;
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
