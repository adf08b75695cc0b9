// The ARP frame analyzer's registration (ethertype 0x0806).
import type { FrameAnalyzerSpec } from '../types.js';
import { arpFrame } from './analyzer.js';

export const ETHERTYPE_ARP = 0x0806;

export const ARP: FrameAnalyzerSpec = {
  name: 'arp',
  ethTypes: [ETHERTYPE_ARP],
  frame: arpFrame,
};
