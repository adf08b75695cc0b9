// Typed events of the RADIUS analyzer. No event carries User-Password or CHAP-Password in any
// form: both are hidden with the shared secret (RFC 2865 §5.2, §5.3), not readable on the wire.

/** One RADIUS message, as read (every code, authentication, accounting and CoA/Disconnect). */
export interface RadiusMessageEvent {
  type: 'radius.message';
  is_orig: boolean;
  code: number;
  /** The message type's name (Access-Request, Accounting-Response, CoA-ACK …). */
  msg_type: string;
  identifier: number;
  user_name?: string;
  /** Calling-Station-Id as sent. */
  calling_station_id?: string;
  /** Calling-Station-Id normalised to a MAC (Zeek's normalize_mac), when it holds one. */
  mac?: string;
  called_station_id?: string;
  nas_ip?: string;
  nas_ipv6?: string;
  nas_identifier?: string;
  nas_port?: number;
  nas_port_id?: string;
  nas_port_type?: number;
  service_type?: number;
  framed_addr?: string;
  reply_msg?: string;
  tunnel_client?: string;
  connect_info?: string;
  acct_status_type?: number;
  acct_session_id?: string;
  error_cause?: number;
  /** A User-Password or CHAP-Password attribute was present (its value is never kept). */
  password_present?: boolean;
  eap?: boolean;
  /** SMI enterprise numbers of the Vendor-Specific attributes, in order, without repeats. */
  vendors?: number[];
  packet: number;
  [k: string]: unknown;
}

/**
 * One authentication exchange as Zeek's radius.log records it (base/protocols/radius/main.zeek):
 * opened by the first message, logged at Access-Accept/-Reject or, unanswered, when the flow ends.
 */
export interface RadiusAuthEvent {
  type: 'radius.auth';
  /** Time of the exchange's first message. */
  ts_sec: number;
  ts_nsec: number;
  username?: string;
  mac?: string;
  framed_addr?: string;
  tunnel_client?: string;
  connect_info?: string;
  reply_msg?: string;
  result: 'success' | 'failed' | 'unknown';
  /** Seconds from the first message to the Accept/Reject (unset when zero or unanswered, as Zeek). */
  ttl?: number;
  /** NAS that asked (NAS-IP-Address, else NAS-Identifier), for the brute-force key. */
  nas?: string;
  packet: number;
  [k: string]: unknown;
}

/**
 * A device's identity as the network access server reports it: the MAC that authenticated
 * (Calling-Station-Id), the user or machine name (User-Name; "host/<name>" for a Windows
 * machine login) and the address it was given (Framed-IP-Address). Emitted on an Access-Accept
 * and on an Accounting-Request, the two messages that say the device is on the network.
 */
export interface RadiusBindingEvent {
  type: 'radius.binding';
  mac: string;
  username?: string;
  /** The name after "host/" in a machine User-Name, without its domain suffix removed. */
  hostname?: string;
  framed_addr?: string;
  nas_ip?: string;
  nas_port?: number;
  packet: number;
  [k: string]: unknown;
}
