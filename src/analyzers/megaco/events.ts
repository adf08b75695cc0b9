// Typed events of the Megaco (H.248) analyzer.

/** One transaction of a Megaco text message (megaco.log). */
export interface MegacoTransactionEvent {
  type: 'megaco.transaction';
  is_orig: boolean;
  version: number;
  /** The sender's message identifier: its domain name or address (and port). */
  mid: string;
  /** request, reply, pending or response_ack; `error` for a message-level Error descriptor. */
  kind: string;
  transaction_id: string;
  contexts: string[];
  commands: string[];
  errors: string[];
  observed_events: string[];
  media: string[];
  media_addresses: string[];
  service_change_method?: string;
  service_change_reason?: string;
  service_change_profile?: string;
  service_change_version?: string;
  service_change_address?: string;
  packet: number;
  [k: string]: unknown;
}
