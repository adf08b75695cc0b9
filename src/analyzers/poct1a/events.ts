// Typed events of the POCT1-A analyzer.
import type { PoctMessage } from './parse.js';

/** One POCT1-A message, with the direction and the address of its sender. */
export type PoctMessageEvent = PoctMessage & {
  type: 'poct1a.message';
  message_type: string;
  is_orig: boolean;
  sender: string;
  packet: number;
  [k: string]: unknown;
};
