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
  /** Packet of the request (dated by tsSec/tsNsec), which evidence cites. */
  packet: number;
  /** Packet of the response. */
  response_packet: number;
  [k: string]: unknown;
}

/**
 * A netlogon NetrServerAuthenticate{,2,3} call and its answer (MS-NRPC 3.5.4.4.2): who asked the
 * DC for a secure channel, as which account, and whether the ClientCredential (and the challenge
 * sent before it on the same carrier) was all zero, the Zerologon exploit (CVE-2020-1472). The
 * credential itself is never in the event.
 */
export interface NetlogonAuthenticateEvent {
  type: 'dce_rpc.netlogon_authenticate';
  /** Time and packet of the request. */
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Packet of the response. */
  response_packet: number;
  operation: string;
  account: string;
  computer: string;
  secure_channel_type: number;
  zero_credential: boolean;
  /** The NetrServerReqChallenge before it on this carrier had an all-zero ClientChallenge (absent when none was seen). */
  zero_challenge?: boolean;
  negotiate_flags?: number;
  /** NTSTATUS ReturnValue, and its name. */
  status: number;
  status_name: string;
  [k: string]: unknown;
}
