// Typed events of the NetBIOS datagram analyzer.

/** A NetBIOS datagram: who sent it under which name, and any browser announcement inside. */
export interface NetbiosDatagramEvent {
  type: 'netbios.datagram';
  /** SOURCE_IP from the datagram header (the original sender, even when relayed by an NBDD). */
  host: string;
  msg_type: number;
  source_name?: string;
  source_suffix?: number;
  dest_name?: string;
  dest_suffix?: number;
  mailslot?: string;
  browser_opcode?: string;
  /** Host/local-master/domain announcement fields (MS-BRWS §2.2.1). */
  server_name?: string;
  os_major?: number;
  os_minor?: number;
  server_type?: number;
  comment?: string;
  packet: number;
  [k: string]: unknown;
}
