// Typed events of the RTSP analyzer.

/** One request with its response (when seen), emitted when the response header section ends or the connection ends. */
export interface RtspTransaction {
  type: 'rtsp.transaction';
  /** Time and packet of the request (of the response when no request was seen). */
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** True when the originator sent the request (servers may send requests too, RFC 2326 §10). */
  is_orig: boolean;
  method?: string;
  /** Request-URI with any user:password@ removed. */
  uri?: string;
  version?: string;
  cseq?: number;
  status_code?: number;
  status_msg?: string;
  user_agent?: string;
  server?: string;
  /** Authorization scheme, lower case ("basic", "digest"). */
  auth_scheme?: string;
  username?: string;
  /** True when a password was sent (Basic or URI userinfo); its value never leaves the analyzer. */
  password_sent: boolean;
  /** Session identifier without parameters (RFC 2326 §12.37). */
  session?: string;
  /** Transport header: the server's choice when it answered, else the client's offer. */
  transport?: string;
  /** Media type of the response body, else of the request body (ANNOUNCE, SET_PARAMETER). */
  content_type?: string;
  /** The SDP body's session name (s=), of the response, else of the request (ANNOUNCE). */
  sdp_session?: string;
  /** The SDP body's a=tool: the software that wrote the description. */
  sdp_tool?: string;
  /** The SDP body's media descriptions: media type and encoding names, e.g. "video H264". */
  media?: string[];
  [k: string]: unknown;
}
