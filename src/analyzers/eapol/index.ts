// The EAPOL frame analyzer's registration: ethertype 0x888e (802.1X port authentication).
import type { FrameAnalyzerSpec } from '../types.js';
import { eapolFrame } from './analyzer.js';

export const ETH_EAPOL = 0x888e;

export const EAPOL: FrameAnalyzerSpec = {
  name: 'eapol',
  ethTypes: [ETH_EAPOL],
  frame: eapolFrame,
};
