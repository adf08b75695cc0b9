// The WireGuard analyzer's registration: UDP 51820 (the port wg(8) and every vendor document
// use), or any port by a handshake message. Service "wireguard", as Corelight's WireGuard
// analyzer and nDPI name it.
import type { AnalyzerSpec } from '../types.js';
import { WireguardAnalyzer } from './analyzer.js';
import { MSG_INITIATION, MSG_RESPONSE, MSG_TRANSPORT } from './parse.js';
import { probe } from './probe.js';

export const WIREGUARD: AnalyzerSpec = {
  name: 'wireguard',
  tcp: false,
  udp: true,
  ports: [51820],
  probe,
  firstBytes: [MSG_INITIATION, MSG_RESPONSE, MSG_TRANSPORT],
  // Transport data alone (a tunnel caught mid-way) is a "maybe" from each side, both together recognition.
  pairedMaybe: true,
  create: () => new WireguardAnalyzer(),
};
