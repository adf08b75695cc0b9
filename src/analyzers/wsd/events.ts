// Typed events of the WS-Discovery analyzer.
import type { WsdMessage } from './parse.js';

/**
 * One WS-Discovery message (one per match of a ProbeMatches/ResolveMatches), or the DPWS
 * metadata of a WS-Transfer GetResponse carried over HTTP.
 */
export type WsdEvent = WsdMessage & {
  type: 'wsd.message';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The sender of a UDP message, or the HTTP server answering a metadata Get. */
  host: string;
  /** Sent by the connection's originator. */
  is_orig: boolean;
  [k: string]: unknown;
};
