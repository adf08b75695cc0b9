// The 802.11 management-frame analyzer's registration: the decoder hands these frames on with
// the pseudo ethertype ETH_WLAN_MGMT (802.11 captures: bare, radiotap, PPI, Prism, AVS).
import { ETH_WLAN_MGMT } from '../../decode/decoder.js';
import type { FrameAnalyzerSpec } from '../types.js';
import { wlanFrame } from './analyzer.js';

export const WLAN: FrameAnalyzerSpec = {
  name: 'wlan',
  ethTypes: [ETH_WLAN_MGMT],
  frame: wlanFrame,
};
