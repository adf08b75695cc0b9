// The CDP frame analyzer's registration: SNAP protocol id 0x2000 (OUI 00:00:0c).
import type { FrameAnalyzerSpec } from '../types.js';
import { cdpFrame } from './analyzer.js';

export const SNAP_PID_CDP = 0x2000;

export const CDP: FrameAnalyzerSpec = {
  name: 'cdp',
  ethTypes: [SNAP_PID_CDP],
  frame: cdpFrame,
};
