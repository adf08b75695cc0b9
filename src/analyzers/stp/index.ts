// The Spanning Tree frame analyzer's registration: 802.3 LLC frames (the decoder's ETH_LLC
// pseudo-ethertype; the analyzer keeps SAP 0x42) and Cisco PVST+ (SNAP protocol id 0x010b).
import { ETH_LLC } from '../../decode/decoder.js';
import type { FrameAnalyzerSpec } from '../types.js';
import { SNAP_PID_PVST, stpFrame } from './analyzer.js';

export const STP: FrameAnalyzerSpec = {
  name: 'stp',
  ethTypes: [ETH_LLC],
  frame: (ctx, buf, off, len) => stpFrame(ctx, buf, off, len, false),
};

export const PVST: FrameAnalyzerSpec = {
  name: 'pvst',
  ethTypes: [SNAP_PID_PVST],
  frame: (ctx, buf, off, len) => stpFrame(ctx, buf, off, len, true),
};
