// The SNMP analyzer's registration: UDP 161 (agents) and 162 (traps), or any port by probe.
import type { AnalyzerSpec } from '../types.js';
import { TAG_SEQUENCE } from './parse.js';
import { SnmpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SNMP: AnalyzerSpec = {
  name: 'snmp',
  tcp: false,
  udp: true,
  ports: [161, 162],
  probe,
  // a BER SEQUENCE
  firstBytes: [TAG_SEQUENCE],
  create: () => new SnmpAnalyzer(),
};
