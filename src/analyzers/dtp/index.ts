// The DTP frame analyzer's registration: SNAP protocol id 0x2004 (OUI 00:00:0c).
import type { FrameAnalyzerSpec } from '../types.js';
import { dtpFrame } from './analyzer.js';

export const SNAP_PID_DTP = 0x2004;

export const DTP: FrameAnalyzerSpec = {
  name: 'dtp',
  ethTypes: [SNAP_PID_DTP],
  frame: dtpFrame,
};
