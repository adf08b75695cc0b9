// The OPC UA analyzer's registration: TCP 4840 (IANA opcua-tcp), or any port by its Hello.
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { OpcuaAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const OPCUA: AnalyzerSpec = {
  name: 'opcua',
  tcp: true,
  udp: false,
  ports: [4840],
  probe,
  // HEL, RHE
  firstBytes: bytesOf('HR'),
  create: () => new OpcuaAnalyzer(),
};
