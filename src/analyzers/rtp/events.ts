// Typed events of the RTP analyzer, and what a signalling protocol announces about media flows.

/**
 * Who named a media flow: the SDP of a SIP (or other) offer, an RTSP SETUP, a Cisco call
 * manager's SCCP StartMediaTransmission, or the packets alone.
 */
export type MediaSource = 'sip' | 'rtsp' | 'sccp' | 'heuristic';

/**
 * A media stream a signalling protocol announced (SIP's SDP m= line, an RTSP SETUP's Transport,
 * SCCP's StartMediaTransmission):
 * `host`:`port` receives or sends it. The engine turns it into expected connections (Zeek's
 * expected connections), so the media flow is named and analysed from its first packet.
 */
export interface MediaAnnounce {
  type: 'sip.media' | 'rtsp.media' | 'sccp.media';
  tsSec: number;
  tsNsec: number;
  packet: number;
  host: string;
  port: number;
  /** RTCP's port (the same as `port` when multiplexed); -1 when none is expected. */
  rtcp_port: number;
  /** audio, video, image (T.38 fax) … */
  media: string;
  /** Transport protocol as announced: RTP/AVP, RTP/SAVP, udptl … */
  proto: string;
  /** The profile is SRTP (SAVP/SAVPF). */
  srtp: boolean;
  /** SDES key lines crossed the wire in the signalling (RFC 4568); the keys themselves are not kept. */
  crypto: boolean;
  /** Encoding names of dynamic payload types. */
  codecs: Record<number, string>;
  [k: string]: unknown;
}

/** What the host starts the RTP analyzer with on an announced flow (AnalyzerSpec.createExpected). */
export interface RtpExpected {
  kind: 'rtp' | 'rtcp' | 'udptl';
  source: MediaSource;
  srtp: boolean;
  media: string;
  codecs: Record<number, string>;
}

/** One media stream of a flow (a sender's SSRC), or the flow's RTCP or UDPTL, at its end (rtp.log). */
export interface RtpStreamEvent {
  type: 'rtp.stream';
  /** First packet of the stream. */
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The originator sent this stream. */
  is_orig: boolean;
  kind: 'rtp' | 'rtcp' | 'udptl';
  source: MediaSource;
  /** SSRC as 8 hex digits. */
  ssrc?: string;
  payload_type?: number;
  /** Encoding: RFC 3551's static names, or the SDP rtpmap name of a dynamic type. */
  codec?: string;
  media?: string;
  packets: number;
  /** Media bytes (after RTP headers), or datagram bytes for RTCP and UDPTL. */
  bytes: number;
  /** Packets missing by sequence number (RFC 3550 A.3), never negative. */
  lost?: number;
  /** The signalling announced SRTP; unknown (absent) for flows found by their packets alone. */
  srtp?: boolean;
  /** RTCP SDES CNAME and TOOL of the flow's first sender report. */
  cname?: string;
  tool?: string;
  [k: string]: unknown;
}
