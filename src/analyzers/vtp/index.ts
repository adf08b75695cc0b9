// The VTP frame analyzer's registration: SNAP protocol id 0x2003 (OUI 00:00:0c).
import type { FrameAnalyzerSpec } from '../types.js';
import { vtpFrame } from './analyzer.js';

export const SNAP_PID_VTP = 0x2003;

export const VTP: FrameAnalyzerSpec = {
  name: 'vtp',
  ethTypes: [SNAP_PID_VTP],
  frame: vtpFrame,
};
