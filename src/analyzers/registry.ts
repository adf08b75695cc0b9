// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { MODBUS } from './modbus/index.js';
import { BACNET } from './bacnet/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  MODBUS,
  BACNET,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
