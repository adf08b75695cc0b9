// rtp.log: one line per media stream (a sender's SSRC on a flow) and per direction of a flow's
// RTCP or T.38 UDPTL (wardline's; Zeek's core has no RTP analyzer). The timestamp is the
// stream's first packet.
import { summaryMapper } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['is_orig', 'kind', 'source', 'ssrc', 'payload_type', 'codec', 'media', 'packets', 'bytes', 'lost', 'srtp', 'cname', 'tool'] as const;

export const RTP_LOGS: Record<string, LogMapper> = { 'rtp.stream': summaryMapper('rtp', FIELDS) };
