// Typed events of the CDP analyzer.
import type { CdpInfo } from './parse.js';

/** A Cisco neighbour's CDP advertisement, with the Ethernet source that sent it. */
export type CdpNeighbor = Omit<CdpInfo, 'problems'> & {
  type: 'cdp.neighbor';
  mac_src: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};
