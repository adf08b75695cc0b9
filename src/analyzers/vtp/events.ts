// Typed events of the VTP analyzer.
import type { VtpInfo } from './parse.js';

/** One VTP message (vtp.log): the sending port and what it says of the domain's VLAN database. */
export type VtpMessage = Omit<VtpInfo, 'problems'> & {
  type: 'vtp.message';
  mac_src: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};
