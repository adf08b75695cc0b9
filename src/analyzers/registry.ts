// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { TLS } from './tls/index.js';
import { SSH } from './ssh/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  TLS,
  SSH,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
