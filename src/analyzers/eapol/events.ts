// Typed events of the EAPOL analyzer.
import type { FrameEvent } from '../frame-event.js';
import type { EapolInfo } from './parse.js';

/** One EAPOL frame (eapol.log): supplicant or authenticator, and what its EAP packet shows. */
export type EapolMessage = FrameEvent<Omit<EapolInfo, 'tlsAt' | 'tlsEnd'>, 'eapol.message'> & {
  mac_dst: string;
  /** A TLS-based method's handshake, in the frame that completed each part: the ServerHello's choice, a side's first certificate. */
  tls_version?: string;
  tls_cipher?: string;
  cert_subject?: string;
  cert_issuer?: string;
  cert_cn?: string;
  cert_not_valid_before?: number;
  cert_not_valid_after?: number;
  cert_key?: string;
  cert_sig_alg?: string;
  cert_sha1?: string;
};
