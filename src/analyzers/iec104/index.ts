// The IEC 60870-5-104 analyzer's registration (TCP 2404, found on other ports by its probe).
// conn.log service "iec104", as the Zeek IEC 104 plugins name their analyzer and log.
import type { AnalyzerSpec } from '../types.js';
import { START } from './parse.js';
import { Iec104Analyzer } from './analyzer.js';
import { probe } from './probe.js';

export const IEC104_PORT = 2404;

export const IEC104: AnalyzerSpec = {
  name: 'iec104',
  tcp: true,
  udp: false,
  ports: [IEC104_PORT],
  probe,
  // the APCI start octet
  firstBytes: [START],
  create: () => new Iec104Analyzer(),
};
