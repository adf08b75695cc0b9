// The LLDP frame analyzer's registration (ethertype 0x88cc).
import type { FrameAnalyzerSpec } from '../types.js';
import { lldpFrame } from './analyzer.js';

export const ETHERTYPE_LLDP = 0x88cc;

export const LLDP: FrameAnalyzerSpec = {
  name: 'lldp',
  ethTypes: [ETHERTYPE_LLDP],
  frame: lldpFrame,
};
