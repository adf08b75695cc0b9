// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';

export const ANALYZERS: AnalyzerSpec[] = [
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
