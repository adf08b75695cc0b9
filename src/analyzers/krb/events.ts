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
 * An AS request without pre-authentication that the KDC answered "pre-authentication required"
 * (KDC_ERR_PREAUTH_REQUIRED with Windows' NEEDED_PREAUTH or Heimdal's e-text): the account exists.
 * Zeek leaves these out of kerberos.log (every logon starts with one), and so does wardline; the
 * event is for the monitor, which tells a logon (a second request with pre-authentication
 * follows) from an attacker learning which names exist (none follows).
 */
export interface KrbPreauthRequiredEvent {
  type: 'krb.preauth_required';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** "name/REALM", as kerberos.log's client. */
  client: string;
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
