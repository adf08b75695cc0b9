// The RTP/RTCP analyzer's registration. No well-known port: media flows are named when SIP or
// RTSP announced them (createExpected, from the engine's expected connections), or, as a
// fallback when no other analyzer wants a UDP flow, when their packets prove to be RTP or RTCP.
// Named `rtp`/`rtcp` in conn.log (`srtp`/`srtcp` when the signalling announced SRTP, `udptl`
// for T.38 fax).
import type { AnalyzerSpec } from '../types.js';
import { RtpAnalyzer } from './analyzer.js';
import type { RtpExpected } from './events.js';
import { probe } from './probe.js';

export const RTP: AnalyzerSpec = {
  name: 'rtp',
  tcp: false,
  udp: true,
  ports: [],
  probe,
  fallback: true,
  // version 2 in the first two bits
  firstBytes: Array.from({ length: 64 }, (_, b) => 0x80 + b),
  create: () => new RtpAnalyzer(),
  createExpected: (init) => new RtpAnalyzer(init as RtpExpected),
};
