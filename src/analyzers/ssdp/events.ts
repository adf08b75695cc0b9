// Typed events of the SSDP analyzer.
import type { SsdpMessage } from './parse.js';

/** One SSDP datagram: a search, an announcement, or a search answer. */
export type SsdpEvent = SsdpMessage & {
  type: 'ssdp.message';
  is_orig: boolean;
  /** The sender's address (a NOTIFY or answer describes the sender's own device). */
  host: string;
  packet: number;
  [k: string]: unknown;
};
