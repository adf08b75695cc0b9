// bittorrent.log: one line per BitTorrent flow (wardline's own log; Zeek has none): how it was
// carried (tcp, utp, dht, lsd, udp-tracker), the torrents (info hashes) it named, each side's
// peer id, the client it names and the client's own name for itself (extension handshake "v"), the features and extensions announced, DHT query methods, listen ports,
// and how many messages and pieces (file data) each side sent.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const OPTIONAL = ['orig_peer_id', 'orig_client', 'orig_agent', 'resp_peer_id', 'resp_client', 'resp_agent'] as const;
const LISTS = ['features', 'extensions', 'dht_queries', 'listen_ports'] as const;

export const BITTORRENT_LOGS: Record<string, LogMapper> = {
  'bittorrent.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    r.transports = ev.transports;
    if ((ev.info_hashes as string[]).length > 0) r.info_hashes = ev.info_hashes;
    for (const f of OPTIONAL) if (ev[f] !== null && ev[f] !== undefined) r[f] = ev[f];
    for (const f of LISTS) if ((ev[f] as unknown[]).length > 0) r[f] = ev[f];
    r.messages = ev.messages;
    r.orig_pieces = ev.orig_pieces;
    r.orig_piece_bytes = ev.orig_piece_bytes;
    r.resp_pieces = ev.resp_pieces;
    r.resp_piece_bytes = ev.resp_piece_bytes;
    return { log: 'bittorrent', record: r };
  },
};
