// Typed events of the DTP analyzer.
import type { DtpInfo } from './parse.js';

/** One DTP advertisement (dtp.log): the switch port, or whatever else, that sent it and what it negotiates. */
export type DtpMessage = Omit<DtpInfo, 'problems'> & {
  type: 'dtp.message';
  mac_src: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};
