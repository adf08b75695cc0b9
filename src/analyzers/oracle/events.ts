// Typed events of the Oracle TNS analyzer.
import type { DescriptorFields } from './parse.js';

/** One Oracle Net connection set-up (oracle.log): what the client asked for and the listener's answer. */
export type OracleSessionEvent = DescriptorFields & {
  type: 'oracle.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** TNS protocol version of the CONNECT (e.g. 314 for 10g/11g, 318/319 for 12c and later). */
  version: number;
  /** accepted, refused, redirected, resend; absent when no answer was seen. */
  result?: string;
  redirect_host?: string;
  redirect_port?: number;
  /** Native Network Encryption the listener chose ("none", "AES256" …) and data integrity. */
  encryption?: string;
  integrity?: string;
};
