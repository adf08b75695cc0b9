// The PROFINET frame analyzer's registration (ethertype 0x8892: DCP and real-time frames).
import type { FrameAnalyzerSpec } from '../types.js';
import { profinetFrame } from './analyzer.js';

export const ETHERTYPE_PROFINET = 0x8892;

export const PROFINET: FrameAnalyzerSpec = {
  name: 'profinet',
  ethTypes: [ETHERTYPE_PROFINET],
  frame: profinetFrame,
};
