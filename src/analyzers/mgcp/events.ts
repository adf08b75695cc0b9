// Typed events of the MGCP analyzer.

/**
 * One MGCP transaction (mgcp.log): a command and its final response, paired by transaction id;
 * a command never answered, or a response to a command the capture missed, alone.
 */
export interface MgcpTransactionEvent {
  type: 'mgcp.transaction';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Whether the command came from the connection's originator (for a response alone: the command it answers). */
  is_orig: boolean;
  transaction_id: string;
  /** The command's verb, endpoint and protocol version; absent when only the response was seen. */
  verb?: string;
  endpoint?: string;
  version?: string;
  call_id?: string;
  connection_id?: string;
  request_id?: string;
  notified_entity?: string;
  mode?: string;
  requested_events: string[];
  signals: string[];
  /** Observed event names; digits never (see parse.ts eventNames). */
  observed_events: string[];
  restart_method?: string;
  restart_delay?: number;
  reason_code?: string;
  specific_endpoint?: string;
  /** The codecs a command's LocalConnectionOptions (L:) ask for. */
  codecs: string[];
  /** The codecs a response says the endpoint supports: its Capabilities (A:), or an AUEP reply's L: lines. */
  capabilities: string[];
  media: string[];
  media_addresses: string[];
  connection_params?: string;
  response_code?: number;
  response_text?: string;
  /** Microseconds from the command to its final response. */
  rtt_us?: number;
  /** Further copies of the command before it was answered (same transaction id, §3.5). */
  retransmissions: number;
  [k: string]: unknown;
}

