// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { HTTP } from './http/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  HTTP,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
