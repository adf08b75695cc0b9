// Typed events of the LLDP analyzer.
import type { LldpInfo } from './parse.js';

/** A neighbour's LLDP advertisement, with the Ethernet source that sent it. */
export type LldpNeighbor = Omit<LldpInfo, 'problems'> & {
  type: 'lldp.neighbor';
  mac_src: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};
