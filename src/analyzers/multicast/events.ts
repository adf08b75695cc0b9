// Typed events of the multicast membership analyzer (IGMP, MLD).
import type { MembershipInfo } from './parse.js';

/** One IGMP or MLD message (multicast.log), the first of each kind per sender and group set. */
export type MembershipEvent = Omit<MembershipInfo, 'bad'> & {
  type: 'multicast.membership';
  src: string;
  dst: string;
  mac_src: string;
  vlan?: number;
  bad?: string;
  packet: number;
  [k: string]: unknown;
};
