// The DHCP analyzer's registration: DHCPv4 (RFC 2131) on 67/68 and PXE's 4011, DHCPv6
// (RFC 8415) on 546/547; conn.log names them `dhcp` (as Zeek) and `dhcpv6`.
import type { AnalyzerSpec } from '../types.js';
import { DhcpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const DHCP: AnalyzerSpec = {
  name: 'dhcp',
  tcp: false,
  udp: true,
  ports: [67, 68, 4011, 546, 547],
  probe,
  // BOOTREQUEST/BOOTREPLY, or a DHCPv6 message type 1–13
  firstBytes: Array.from({ length: 13 }, (_, i) => i + 1),
  create: () => new DhcpAnalyzer(),
};
