// Per-flow RTP/RTCP state (RFC 3550). A flow reaches this analyzer two ways:
// - announced: a SIP SDP or an RTSP SETUP named its address and port (the engine's expected
//   connections), so it is media from its first packet, with the codec names and the profile
//   (RTP or SRTP) the signalling gave;
// - found: no analyzer wanted the flow and its first datagram has an RTP or RTCP header
//   (AnalyzerSpec.fallback, as nDPI tries RTP after the protocols with signatures). An RTP header
//   is two bits and a payload type, so the flow is named only when three packets of one sender
//   continue one SSRC's sequence; otherwise the analyzer lets go of it (release) and the host
//   probes the flow's next datagrams for other protocols. A compound RTCP datagram, its lengths
//   tiling the datagram exactly, is structure enough on its own.
// Each sender's SSRC is counted (packets, media bytes, losses by sequence number, RFC 3550
// A.1/A.3) and reported at the flow's end as an `rtp.stream` event.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { origHost, respHost } from '../connid.js';
import type { MediaSource, RtpExpected, RtpStreamEvent } from './events.js';
import { STATIC_PAYLOAD_TYPES, looksRtcp, parseRtcp, readRtp, type RtpHeader, type RtcpCompound } from './parse.js';

/** SSRC streams counted per flow (a call has one per direction; more are counted as `extra`). */
const MAX_STREAMS = 4;
/** A forward jump in sequence numbers larger than this is a restart, not losses (RFC 3550 A.1). */
const MAX_DROPOUT = 3000;
/** Found flows: packets one sender's sequence must continue before the flow is named RTP. */
const CONFIRM_FOLLOWERS = 2;
/** Found flows: a forward step between consecutive packets of the sequence (reordering aside). */
const MAX_PROBE_STEP = 100;
/** Found flows: packets that do not fit, or packets seen in all, before the flow is let go. */
const MAX_MISFITS = 3;
const MAX_UNCONFIRMED = 10;

class Stream {
  packets = 0;
  bytes = 0;
  cycles = 0;
  maxSeq: number;
  constructor(
    readonly isOrig: boolean,
    readonly ssrc: number,
    readonly payloadType: number,
    readonly baseSeq: number,
    readonly tsSec: number,
    readonly tsNsec: number,
    readonly packet: number,
  ) {
    this.maxSeq = baseSeq;
  }

  /** RFC 3550 A.1, without the probation (the caller decides whether the flow is RTP). */
  add(seq: number, payloadLen: number): void {
    if (this.packets > 0) {
      const delta = (seq - this.maxSeq) & 0xffff;
      if (delta > 0 && delta < MAX_DROPOUT) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    this.packets++;
    this.bytes += payloadLen;
  }

  get lost(): number {
    const expected = this.cycles + this.maxSeq - this.baseSeq + 1;
    return Math.max(0, expected - this.packets);
  }
}

/** Counts of a flow's RTCP or UDPTL datagrams, with the first one's place. */
class Side {
  packets = 0;
  bytes = 0;
  tsSec = 0;
  tsNsec = 0;
  packet = 0;
  ssrc = -1;
  cname: string | undefined = undefined;
  tool: string | undefined = undefined;
}

export class RtpAnalyzer implements FlowAnalyzer {
  private readonly streams: Stream[] = [];
  /** RTCP (or UDPTL) per direction: [orig, resp]. */
  private readonly sides: [Side | null, Side | null] = [null, null];
  private readonly hdr: RtpHeader = { payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadLen: 0 };
  private confirmedRtp = false;
  private confirmedRtcp = false;
  private followers = 0;
  private misfits = 0;
  private seen = 0;
  private released = false;
  private extra = 0;

  constructor(private readonly expected: RtpExpected | null = null) {}

  private get source(): MediaSource {
    return this.expected === null ? 'heuristic' : this.expected.source;
  }

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.released) return;
    const exp = this.expected;
    if (exp !== null && exp.kind === 'udptl') {
      this.count(ctx, isOrig, len, null);
      return;
    }
    if (looksRtcp(buf, off, len)) {
      const r = parseRtcp(buf, off, len, exp === null || exp.srtp);
      if (r !== null) {
        if (!this.confirmedRtcp) {
          this.confirmedRtcp = true;
          ctx.confirm(exp !== null && exp.srtp ? 'srtcp' : 'rtcp');
        }
        this.count(ctx, isOrig, len, r);
        return;
      }
      if (exp !== null) ctx.weird('rtp.bad_rtcp');
      else this.misfit(ctx);
      return;
    }
    const h = this.hdr;
    if (!readRtp(buf, off, len, h)) {
      if (exp !== null) ctx.weird('rtp.bad_header');
      else this.misfit(ctx);
      return;
    }
    // The packet path: plain loops over at most MAX_STREAMS entries, no closures.
    let s: Stream | null = null;
    let sameSide = false;
    const streams = this.streams;
    for (let i = 0; i < streams.length; i++) {
      const x = streams[i];
      if (x.isOrig !== isOrig) continue;
      sameSide = true;
      if (x.ssrc === h.ssrc) s = x;
    }
    if (exp === null && !this.confirmedRtp) {
      this.seen++;
      if (s !== null) {
        const step = (h.seq - s.maxSeq) & 0xffff;
        // A repeat (step 0) is the same packet captured twice (a SPAN port of both switch ports).
        if (step > 0 && step <= MAX_PROBE_STEP && h.payloadType === s.payloadType) this.followers++;
        else if (step !== 0) this.misfit(ctx);
      } else if (sameSide) this.misfit(ctx);
      if (this.released) return;
    }
    if (s === null) {
      if (this.streams.length >= MAX_STREAMS) {
        this.extra++;
        return;
      }
      const m = ctx.packet;
      s = new Stream(isOrig, h.ssrc, h.payloadType, h.seq, m.tsSec, m.tsNsec, m.packetNo);
      this.streams.push(s);
    }
    s.add(h.seq, h.payloadLen);
    if (!this.confirmedRtp && (exp !== null || this.followers >= CONFIRM_FOLLOWERS)) {
      this.confirmedRtp = true;
      ctx.confirm(exp !== null && exp.srtp ? 'srtp' : 'rtp');
    } else if (!this.confirmedRtp && this.seen >= MAX_UNCONFIRMED) this.letGo(ctx);
  }

  /** A found flow's packet that does not continue a sequence: enough of them and the flow is not RTP. */
  private misfit(ctx: AnalyzerContext): void {
    if (this.expected !== null || this.confirmedRtp || this.confirmedRtcp) return;
    if (++this.misfits >= MAX_MISFITS) this.letGo(ctx);
  }

  private letGo(ctx: AnalyzerContext): void {
    this.released = true;
    this.streams.length = 0;
    this.sides[0] = this.sides[1] = null;
    ctx.release();
  }

  private count(ctx: AnalyzerContext, isOrig: boolean, len: number, r: RtcpCompound | null): void {
    const i = isOrig ? 0 : 1;
    let s = this.sides[i];
    if (s === null) {
      s = new Side();
      const m = ctx.packet;
      s.tsSec = m.tsSec;
      s.tsNsec = m.tsNsec;
      s.packet = m.packetNo;
      this.sides[i] = s;
    }
    s.packets++;
    s.bytes += len;
    if (r !== null) {
      if (s.ssrc < 0) s.ssrc = r.ssrc;
      s.cname ??= r.cname;
      if (s.tool === undefined && r.tool !== undefined) {
        // SDES TOOL names the sender's application and often its version (RFC 3550 §6.5.6).
        s.tool = r.tool;
        const c = ctx.conn;
        ctx.emit({ type: 'software', host: isOrig ? origHost(c) : respHost(c), software_type: 'RTP::TOOL', unparsed_version: r.tool });
      }
    }
  }

  end(ctx: AnalyzerContext): void {
    if (this.released) return;
    const exp = this.expected;
    const source = this.source;
    if (this.confirmedRtp) {
      for (const s of this.streams) {
        const ev: RtpStreamEvent = { type: 'rtp.stream', tsSec: s.tsSec, tsNsec: s.tsNsec, packet: s.packet, is_orig: s.isOrig, kind: 'rtp', source, ssrc: hex8(s.ssrc), payload_type: s.payloadType, packets: s.packets, bytes: s.bytes, lost: s.lost };
        const codec = exp?.codecs[s.payloadType] ?? STATIC_PAYLOAD_TYPES[s.payloadType]?.[0];
        if (codec !== undefined) ev.codec = codec;
        const media = exp !== null && exp.media !== '' ? exp.media : STATIC_PAYLOAD_TYPES[s.payloadType]?.[1];
        if (media !== undefined) ev.media = media;
        if (exp !== null) ev.srtp = exp.srtp;
        ctx.emit(ev);
      }
      if (this.extra > 0) ctx.weird('rtp.too_many_streams');
    }
    const kind = exp !== null && exp.kind === 'udptl' ? 'udptl' : 'rtcp';
    if (kind === 'rtcp' && !this.confirmedRtcp) return;
    for (let i = 0; i < 2; i++) {
      const s = this.sides[i];
      if (s === null) continue;
      const ev: RtpStreamEvent = { type: 'rtp.stream', tsSec: s.tsSec, tsNsec: s.tsNsec, packet: s.packet, is_orig: i === 0, kind, source, packets: s.packets, bytes: s.bytes };
      if (s.ssrc >= 0) ev.ssrc = hex8(s.ssrc);
      if (exp !== null) {
        if (exp.media !== '') ev.media = exp.media;
        if (kind === 'rtcp') ev.srtp = exp.srtp;
      }
      if (s.cname !== undefined) ev.cname = s.cname;
      if (s.tool !== undefined) ev.tool = s.tool;
      ctx.emit(ev);
    }
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
