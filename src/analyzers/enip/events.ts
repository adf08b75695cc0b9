// Typed events of the EtherNet/IP analyzer.
import type { EnipMessage } from './parse.js';

/** One encapsulation message (and its ListIdentity identities or first CIP message). */
export type EnipEvent = EnipMessage & {
  type: 'enip.message';
  is_orig: boolean;
  packet: number;
  [k: string]: unknown;
};
