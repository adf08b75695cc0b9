// Typed events of the AJP13 analyzer.

/** One exchange on an AJP connection (ajp.log): a forwarded request and its response, a CPing and its CPong, a Ping, a Shutdown. */
export interface AjpExchange {
  type: 'ajp.exchange';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** 'request', 'cping', 'ping' or 'shutdown'. */
  kind: string;
  method?: string;
  protocol?: string;
  /** The path; a query string's values are never kept (`has_query`). */
  uri?: string;
  has_query?: boolean;
  /** The client behind the web server, as the web server states it: a claim, not a connection. */
  remote_addr?: string;
  remote_host?: string;
  server_name?: string;
  server_port?: number;
  is_ssl?: boolean;
  host?: string;
  user_agent?: string;
  /** The Authorization header's scheme; a Basic or Digest user name; a Basic password only noted. */
  auth_scheme?: string;
  username?: string;
  has_password?: boolean;
  remote_user?: string;
  auth_type?: string;
  route?: string;
  ssl_cipher?: string;
  /** Names of the attributes sent (coded ones by the reference's names, req_attribute by its own). */
  attributes?: string[];
  /** The connector's shared secret went by (never kept). */
  has_secret?: boolean;
  /** javax.servlet.include.* attributes were set: a Ghostcat (CVE-2020-1938) request. */
  ghostcat?: boolean;
  /** The file a Ghostcat request asks for: the included servlet path, then path info, as sent. */
  include_path?: string;
  request_body_len: number;
  status_code?: number;
  status_msg?: string;
  content_type?: string;
  server?: string;
  powered_by?: string;
  response_body_len: number;
  /** CPing or Ping answered by a CPong. */
  pong?: boolean;
  /** End Response's reuse flag. */
  reuse?: boolean;
  [k: string]: unknown;
}
