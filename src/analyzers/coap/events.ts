// Typed events of the CoAP analyzer.

/** One request and its response (or either alone), paired by token and message id. */
export interface CoapTransactionEvent {
  type: 'coap.transaction';
  ts_sec: number;
  ts_nsec: number;
  packet: number;
  /** Whether the connection's originator sent the request (or, for a lone response, the response's receiver did). */
  request_is_orig: boolean;
  /** CON/NON/ACK/RST of the first message of the exchange. */
  msg_type: string;
  code: string;
  message_id: number;
  token: string;
  uri?: string;
  host?: string;
  port?: number;
  content_format?: string;
  observe?: number;
  block1?: string;
  block2?: string;
  response_type?: string;
  response_code?: string;
  /** Response of class 2/4/5 seen: the peer of the request's sender is a CoAP server. */
  answered: boolean;
  /** Link targets of a /.well-known/core answer or of a LwM2M registration (bounded). */
  resources?: string[];
  resource_types?: string[];
  interfaces?: string[];
  lwm2m_endpoint?: string;
  lwm2m_version?: string;
  lwm2m_lifetime?: number;
  lwm2m_binding?: string;
  [k: string]: unknown;
}
