// Typed events of the RDP analyzer.

/** One RDP connection's negotiation and client/server data: the rdp.log line. */
export interface RdpSessionEvent {
  type: 'rdp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  cookie?: string;
  result?: string;
  security_protocol?: string;
  /** Requested protocols from RDP_NEG_REQ (wardline addition, e.g. ["SSL","HYBRID"]). */
  requested_protocols?: string[];
  client_channels?: string[];
  keyboard_layout?: string;
  client_build?: string;
  client_name?: string;
  client_dig_product_id?: string;
  desktop_width?: number;
  desktop_height?: number;
  requested_color_depth?: string;
  cert_type?: string;
  cert_count: number;
  cert_permanent?: boolean;
  encryption_level?: string;
  encryption_method?: string;
  [k: string]: unknown;
}
