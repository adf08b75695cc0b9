// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { DHCP } from './dhcp/index.js';
import { DNS } from './dns/index.js';
import { NBDGM } from './nbdgm/index.js';
import { NTP } from './ntp/index.js';
import { SYSLOG } from './syslog/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  DHCP,
  DNS,
  NBDGM,
  NTP,
  SYSLOG,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
