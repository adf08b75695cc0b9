// Typed events of the S7comm analyzer.
import type { S7Pdu, S7PlusPdu } from './parse.js';

/** One S7comm PDU; a SZL response also carries the identity it revealed. */
export type S7commMessage = Omit<S7Pdu, 'szlData' | 'password'> & {
  type: 's7comm.message';
  is_orig: boolean;
  /** A "PLC password" user-data request was sent; `secret` is its digest (never logged). */
  password_sent?: boolean;
  secret?: string;
  packet: number;
  [k: string]: unknown;
};

/** One S7comm-plus PDU header. */
export type S7commPlusMessage = S7PlusPdu & {
  type: 's7comm_plus.message';
  is_orig: boolean;
  packet: number;
  [k: string]: unknown;
};
