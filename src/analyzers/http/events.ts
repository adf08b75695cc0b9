// Typed events of the HTTP/1.x analyzer.

/** One request/response pair, emitted when the response is complete or the connection ends. */
export interface HttpTransaction {
  type: 'http.transaction';
  /** Time of the request (of the response when no request was seen). */
  tsSec: number;
  tsNsec: number;
  packet: number;
  trans_depth: number;
  method?: string;
  host?: string;
  uri?: string;
  referrer?: string;
  version?: string;
  user_agent?: string;
  origin?: string;
  request_body_len: number;
  response_body_len: number;
  status_code?: number;
  status_msg?: string;
  info_code?: number;
  info_msg?: string;
  username?: string;
  /** True when a password was sent (its value never leaves the analyzer). */
  password_sent: boolean;
  auth_scheme?: string;
  www_authenticate?: string[];
  server?: string;
  orig_fuids?: string[];
  resp_fuids?: string[];
  resp_filenames?: string[];
  resp_mime_types?: string[];
  /** HL7 FHIR REST: the resource type the request addresses, and whether it holds patient data. */
  fhir_resource?: string;
  fhir_patient_data?: boolean;
  /** DICOMweb (PS3.18): QIDO-RS, WADO-RS, STOW-RS, UPS-RS or WADO-URI. */
  dicomweb?: string;
  /** Which side sent DICOM content (patient data) in this transaction. */
  dicomweb_patient_data_from?: 'client' | 'server';
  /** Sent to a forward proxy (CONNECT or an absolute-form target): Host and Server are the origin's. */
  proxied?: boolean;
  [k: string]: unknown;
}

/** An NTLM or Negotiate token from an Authorization or WWW-Authenticate header (RFC 4559). */
export interface HttpAuthBlob {
  type: 'http.auth_blob';
  scheme: string;
  /** The base64 token as sent. */
  blob: string;
  isOrig: boolean;
  [k: string]: unknown;
}
