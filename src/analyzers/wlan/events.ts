// Typed events of the 802.11 management-frame analyzer.
import type { WlanMgmtInfo } from './parse.js';

/**
 * A beacon, probe or (re)association request, reported the first time its content is seen in
 * the analysis (an access point beacons ten times a second with the same content).
 */
export type WlanMgmt = Omit<WlanMgmtInfo, 'problems'> & {
  type: 'wlan.mgmt';
  packet: number;
  [k: string]: unknown;
};
