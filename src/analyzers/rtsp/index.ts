// The RTSP analyzer's registration: 554 is RTSP's registered port (RFC 2326 §3.2), 8554 the
// common alternative of cameras and media servers (VLC, live555, GStreamer).
import type { AnalyzerSpec } from '../types.js';
import { METHODS } from './parse.js';
import { RtspAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const RTSP: AnalyzerSpec = {
  name: 'rtsp',
  tcp: true,
  udp: false,
  ports: [554, 8554],
  probe,
  // a method's first letter, or the R of RTSP/
  firstBytes: [...new Set([...METHODS.map((m) => m.charCodeAt(0)), 0x52])],
  create: () => new RtspAnalyzer(),
};
