// Typed events of the BitTorrent analyzer.

/**
 * A host speaks BitTorrent: once per side and transport of a flow (its peer-wire handshake over
 * TCP or uTP, its first DHT message, a Local Service Discovery announcement, a UDP tracker request).
 */
export interface BittorrentPeerEvent {
  type: 'bittorrent.peer';
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** The host that sent it, and the other end (a group address for LSD). */
  host: string;
  host_p: number;
  peer: string;
  peer_p: number;
  is_orig: boolean;
  /** tcp, utp, dht, lsd or udp-tracker. */
  transport: string;
  /** The torrent (info hash, hex) the message names, when it names one. */
  info_hash: string | null;
  /** The client its peer id or DHT version names ("libtorrent 1.1"), when known. */
  client: string | null;
  [k: string]: unknown;
}

/** One per flow, when it ends: bittorrent.log. */
export interface BittorrentSession {
  type: 'bittorrent.session';
  packet: number;
  tsSec: number;
  tsNsec: number;
  transports: string[];
  info_hashes: string[];
  orig_peer_id: string | null;
  /** The client each side's peer id (or DHT "v") names, and the name and version its extension handshake gives ("v"). */
  orig_client: string | null;
  orig_agent: string | null;
  resp_peer_id: string | null;
  resp_client: string | null;
  resp_agent: string | null;
  /** Reserved bits and BEP 10 extensions either side announced. */
  features: string[];
  extensions: string[];
  dht_queries: string[];
  /** Listen ports the peers announced (extension handshake "p", LSD Port, tracker announce). */
  listen_ports: number[];
  messages: number;
  /** Piece messages (file data) each side sent, and their data bytes. */
  orig_pieces: number;
  orig_piece_bytes: number;
  resp_pieces: number;
  resp_piece_bytes: number;
  [k: string]: unknown;
}
