// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { HTTP } from './http/index.js';
import { FTP } from './ftp/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  HTTP,
  FTP,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
