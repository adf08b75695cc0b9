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

/** Commands a call agent sends to a gateway's endpoints; NTFY and RSIP come from the gateway (RFC 3435 §2.3). DLCX goes either way. */
const AGENT_VERBS = new Set(['EPCF', 'CRCX', 'MDCX', 'RQNT', 'AUEP', 'AUCX']);
const GATEWAY_VERBS = new Set(['NTFY', 'RSIP']);

/**
 * Which side of a transaction's connection is the media gateway: true for the originator, false
 * for the responder; undefined when the transaction does not say. The receiver of a call agent's
 * command is a gateway only if it answered (a scanner's commands go unanswered); the sender of a
 * Notify or RestartInProgress is one by saying so.
 */
export function mgcpGatewayIsOrig(ev: Record<string, unknown>): boolean | undefined {
  if (typeof ev.verb !== 'string' || typeof ev.is_orig !== 'boolean') return undefined;
  if (AGENT_VERBS.has(ev.verb)) return typeof ev.response_code === 'number' ? !ev.is_orig : undefined;
  return GATEWAY_VERBS.has(ev.verb) ? ev.is_orig : undefined;
}
