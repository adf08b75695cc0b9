// p2p-file-sharing: the device runs a peer-to-peer file-sharing client (BitTorrent): it shook
// hands with peers over TCP or uTP, sent DHT messages, announced torrents on the local network
// (LSD) or to a tracker (bittorrent.log; tracker announces in http.log). On a hospital network
// such a client is unsanctioned software that trades data with strangers on the Internet: it
// uploads what it holds (a way out for data), downloads executables and media from anyone (a
// common way in for malware), opens listening ports, and its traffic can crowd out clinical
// traffic on a shared link. Finding on the device running the client; medium, high on a
// medical or IoT device (which should never run one: a sign of compromise or misuse) and on a
// server.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import { MAX_P2P_PEERS, type P2pObs } from '../observe.js';
import { isMedical } from '../segments.js';

const HOW: Record<string, string> = {
  tcp: 'peer connections over TCP',
  utp: 'peer connections over uTP',
  dht: 'DHT messages',
  lsd: 'Local Service Discovery announcements',
  'udp-tracker': 'UDP tracker requests',
  'http-tracker': 'tracker announces over HTTP',
};

export function p2pFileSharing(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const obs: P2pObs[] = [];
    for (const h of ctx.hostsOf(d)) for (const o of h.p2p.values()) obs.push(o);
    if (obs.length === 0) continue;
    obs.sort((a, b) => (a.evidence.ts !== b.evidence.ts ? a.evidence.ts - b.evidence.ts : a.evidence.packet - b.evidence.packet));
    const clients = [...new Set(obs.flatMap((o) => o.clients))].sort();
    const hashes = [...new Set(obs.flatMap((o) => o.infoHashes))].sort();
    const transports = [...new Set(obs.flatMap((o) => o.transports))].sort();
    const trackers = [...new Set(obs.flatMap((o) => o.trackers))].sort();
    const peers = new Set(obs.flatMap((o) => [...o.peers])).size;
    const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
    const high = sensitive || d.category === 'server' || d.category === 'pacs';
    const parts = [
      transports.map((t) => HOW[t] ?? t).join(', '),
      peers > 0 ? `with ${peers >= MAX_P2P_PEERS ? `over ${MAX_P2P_PEERS}` : peers} ${peers === 1 ? 'peer' : 'peers'}` : '',
      hashes.length > 0 ? `for ${hashes.length === 1 ? 'the torrent' : `${hashes.length} torrents`} ${listText(hashes, 3)}` : '',
      trackers.length > 0 ? `announced to ${listText(trackers, 3)}` : '',
    ].filter((x) => x !== '');
    out.push(
      makeFinding('p2p-file-sharing', d, {
        key: 'bittorrent',
        title: `Peer-to-peer file sharing (BitTorrent${clients.length > 0 ? `, ${listText(clients, 2)}` : ''})`,
        detail: `The device runs a BitTorrent client${clients.length > 0 ? ` (${listText(clients, 3)})` : ''}: ${parts.join('; ')}. A file-sharing client on a hospital network uploads what it holds to strangers (a way out for data), downloads files from anyone (a common way in for malware) and listens for connections from the Internet${sensitive ? '; a medical or IoT device has no reason to run one, so it was compromised or misused' : high ? '; on a server it exposes what the server stores' : ''}.`,
        evidence: obs.map((o) => o.evidence),
        severity: high ? 'high' : undefined,
      }),
    );
  }
  return out;
}
