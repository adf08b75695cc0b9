// Typed events of the SIP analyzer.

/**
 * One request/response pairing as Zeek's SIP script logs it (base/protocols/sip/main.zeek):
 * emitted when a response ends, and for still-pending requests when the connection ends.
 */
export interface SipTransaction {
  type: 'sip.transaction';
  /** When the pairing's record was created (its first message). */
  tsSec: number;
  tsNsec: number;
  packet: number;
  trans_depth: number;
  method?: string;
  uri?: string;
  date?: string;
  request_from?: string;
  request_to?: string;
  response_from?: string;
  response_to?: string;
  reply_to?: string;
  call_id?: string;
  seq?: string;
  subject?: string;
  request_path: string[];
  response_path: string[];
  user_agent?: string;
  status_code?: number;
  status_msg?: string;
  warning?: string;
  request_body_len?: number;
  response_body_len?: number;
  content_type?: string;
  /** The Digest user name of an Authorization / Proxy-Authorization header (wardline's field). */
  username?: string;
  [k: string]: unknown;
}
