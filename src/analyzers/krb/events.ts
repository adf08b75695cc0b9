// Typed events of the Kerberos analyzer.

/** One Kerberos exchange as Zeek's kerberos.log records it (AS, TGS or AP, and its outcome). */
export interface KrbTransactionEvent {
  type: 'krb.transaction';
  tsSec: number;
  tsNsec: number;
  packet: number;
  request_type?: string;
  client?: string;
  service?: string;
  success?: boolean;
  error_code?: number;
  error_msg?: string;
  from?: number;
  till?: number;
  cipher?: string;
  forwardable?: boolean;
  renewable?: boolean;
  /** Encryption types the client offered (names), most preferred first. */
  request_ciphers?: string[];
  /** The ticket's encryption type is DES or RC4 (weakEtype). */
  weak_cipher?: boolean;
  /** AS requests: the request carried pre-authentication (an encrypted timestamp, PKINIT, FAST). */
  preauth?: boolean;
  [k: string]: unknown;
}

/**
 * A computer's own account seen in a request or reply ("PC1$" in realm EXAMPLE.ORG), or its
 * NetBIOS name in the request's addresses: the requesting host's name.
 */
export interface KrbHostEvent {
  type: 'krb.host';
  host: string;
  name: string;
  realm: string;
  source: 'cname' | 'addresses';
  packet: number;
  [k: string]: unknown;
}
