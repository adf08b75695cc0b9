// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { DHCP } from './dhcp/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  DHCP,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
