// Typed events of DCE/RPC (connection-oriented, over TCP or SMB named pipes).

/** One request/response pair as Zeek's dce_rpc.log shows it (see session.ts for its semantics). */
export interface DceRpcCallEvent {
  type: 'dce_rpc.call';
  /** Time of the request (Zeek's ts). */
  tsSec: number;
  tsNsec: number;
  /** Microseconds from request to response, when both were seen at different times. */
  rtt_us?: number;
  /** The bind_ack's secondary address: a pipe name (`\PIPE\lsass`) or a TCP port ("135"). */
  named_pipe?: string;
  /** Interface name, or `unknown-<uuid>`. */
  endpoint: string;
  /** Operation name, or `unknown-<opnum>`. */
  operation: string;
  /** Interface UUID and opnum the names come from. */
  uuid: string;
  opnum: number;
  /** Zeek leaves this operation out of the log as noise (its ignored_operations). */
  ignored?: boolean;
  /** Packet of the response. */
  packet: number;
  [k: string]: unknown;
}
