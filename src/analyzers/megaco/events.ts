// Typed events of the Megaco (H.248) analyzer.
import type { MegacoTransaction } from './parse.js';

/** One transaction of a Megaco text message (megaco.log): the parser's lists, and who sent it. */
export type MegacoTransactionEvent = Pick<MegacoTransaction, 'contexts' | 'commands' | 'errors' | 'observed_events' | 'media' | 'media_addresses'> & {
  type: 'megaco.transaction';
  is_orig: boolean;
  version: number;
  /** The sender's message identifier: its domain name or address (and port). */
  mid: string;
  /** request, reply, pending or response_ack; `error` for a message-level Error descriptor. */
  kind: string;
  transaction_id: string;
  service_change_method?: string;
  service_change_reason?: string;
  service_change_profile?: string;
  service_change_version?: string;
  service_change_address?: string;
  packet: number;
  [k: string]: unknown;
};
