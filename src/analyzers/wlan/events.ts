// Typed events of the 802.11 management-frame analyzer.
import type { WlanDeauthInfo, WlanMgmtInfo } from './parse.js';

/**
 * A beacon, probe or (re)association request, reported the first time its content is seen in
 * the analysis (an access point beacons ten times a second with the same content).
 */
export type WlanMgmt = Omit<WlanMgmtInfo, 'problems'> & {
  type: 'wlan.mgmt';
  packet: number;
  [k: string]: unknown;
};

/**
 * Every deauthentication or disassociation frame (not logged: the monitor's detectors count them,
 * since a flood of forged ones knocks stations off the network).
 */
export type WlanDeauth = WlanDeauthInfo & {
  type: 'wlan.deauth';
  packet: number;
  [k: string]: unknown;
};
