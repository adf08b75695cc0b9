// Typed events of the ARP analyzer.
import type { ArpMessage, BadArp } from './parse.js';

/** One ARP packet with its Ethernet source and destination. */
export type ArpEvent = ArpMessage & {
  type: 'arp.message';
  mac_src: string;
  mac_dst: string;
  packet: number;
  [k: string]: unknown;
};

/** A malformed ARP header (Zeek's bad_arp). */
export type ArpBad = BadArp & {
  type: 'arp.bad';
  mac_src: string;
  mac_dst: string;
  packet: number;
  [k: string]: unknown;
};

/**
 * For the inventory: a host asserted that `ip` is at `mac` (the sender fields of a request
 * or reply), with the packet as evidence.
 */
export interface ArpBinding {
  type: 'arp.binding';
  ip: string;
  mac: string;
  source: 'arp.request' | 'arp.reply';
  packet: number;
  [k: string]: unknown;
}
