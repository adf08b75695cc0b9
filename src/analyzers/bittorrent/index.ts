// BitTorrent (BEP 3 peer wire over TCP and uTP, BEP 5 DHT, BEP 14 Local Service Discovery,
// BEP 15 UDP trackers): found on any port by probe; 6771 (LSD) and 6881–6889 (the clients'
// traditional listen ports) are tried first. Trackers over HTTP are HTTP (the assessment reads
// their announces from http.log's URIs).
import type { AnalyzerSpec } from '../types.js';
import { BittorrentAnalyzer } from './analyzer.js';
import { FIRST_BYTES, probe } from './probe.js';

export const BITTORRENT: AnalyzerSpec = {
  name: 'bittorrent',
  tcp: true,
  udp: true,
  ports: [6771, 6881, 6882, 6883, 6884, 6885, 6886, 6887, 6888, 6889],
  probe,
  firstBytes: FIRST_BYTES,
  pairedMaybe: true,
  create: () => new BittorrentAnalyzer(),
};
