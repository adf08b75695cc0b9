// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { DICOM } from './dicom/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  DICOM,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
