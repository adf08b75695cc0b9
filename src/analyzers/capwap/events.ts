// Typed events of the CAPWAP control analyzer.

/** One CAPWAP control flow: what its clear-text messages said of the access point and the controller (capwap.log). */
export interface CapwapSession {
  type: 'capwap.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Clear-text control messages by name, in the order first seen. */
  messages: string[];
  control: number;
  /** DTLS-protected datagrams (the join and everything after it, normally). */
  dtls: number;
  /** The access point (WTP) sent the elements below: true when it is the flow's originator. */
  wtp_orig?: boolean;
  wtp_name?: string;
  wtp_location?: string;
  wtp_model?: string;
  wtp_serial?: string;
  wtp_board_id?: string;
  wtp_board_revision?: string;
  wtp_base_mac?: string;
  wtp_vendor?: string;
  wtp_hardware?: string;
  wtp_software?: string;
  wtp_boot?: string;
  wtp_radios?: number;
  wtp_mac_type?: string;
  discovery_type?: string;
  /** The controller (AC) sent these: true when it is the flow's originator. */
  ac_orig?: boolean;
  ac_name?: string;
  ac_vendor?: string;
  ac_hardware?: string;
  ac_software?: string;
  ac_stations?: number;
  ac_station_limit?: number;
  ac_wtps?: number;
  ac_max_wtps?: number;
  /** How the controller authenticates access points: psk, x509. */
  ac_security?: string[];
  /** Data channel protection the controller offers: dtls, clear. */
  data_channel?: string[];
  /** The last Result Code element (§4.6.35; 0 is success). */
  result_code?: number;
  [k: string]: unknown;
}
