// Typed events of the IKE analyzer.
export interface IkeSession {
  type: 'ike.session';
  tsSec: number;
  tsNsec: number;
  /** "1.0" or "2.0". */
  version: string;
  /** Exchange types in the order first seen: IKE_SA_INIT, IKE_AUTH; Aggressive, Quick Mode … */
  exchanges: string[];
  initiator_spi: string;
  responder_spi?: string;
  /** The originator's proposals in its first security association payload. */
  proposals_offered: string[];
  /** The responder's chosen proposal. */
  proposal_chosen?: string;
  /** Weakest-to-name algorithms of the chosen proposal (else of the offered ones), for the assessment. */
  encryption: string[];
  integrity: string[];
  dh_groups: number[];
  /** IKEv1 authentication method (PSK, RSA_SIG …). */
  auth_method?: string;
  aggressive: boolean;
  initiator_id?: string;
  responder_id?: string;
  vendor_ids: string[];
  notifies: string[];
  /** Responder answered. */
  answered: boolean;
  /** UDP-encapsulated ESP packets on this flow (NAT traversal). */
  esp_packets: number;
  packet: number;
  [k: string]: unknown;
}
