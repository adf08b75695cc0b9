// Typed events of the EAPOL analyzer.
import type { EapolInfo } from './parse.js';

/** One EAPOL frame (eapol.log): supplicant or authenticator, and what its EAP packet shows. */
export type EapolMessage = Omit<EapolInfo, 'problems'> & {
  type: 'eapol.message';
  mac_src: string;
  mac_dst: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};
