// Flow telemetry export: sFlow (UDP 6343), NetFlow (2055, 2056, 9995, 9996) and IPFIX (4739),
// or any UDP port by a header that checks out. conn.log names sflow, netflow or ipfix.
import type { AnalyzerSpec } from '../types.js';
import { FlowExportAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const FLOWEXPORT: AnalyzerSpec = {
  name: 'flowexport',
  tcp: false,
  udp: true,
  ports: [6343, 2055, 2056, 9995, 9996, 4739],
  probe,
  firstBytes: [0x00],
  create: () => new FlowExportAnalyzer(),
};
