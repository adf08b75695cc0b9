// The BACnet/IP analyzer's registration (UDP 47808 = 0xBAC0, found elsewhere by its probe).
import type { AnalyzerSpec } from '../types.js';
import { BVLL_TYPE_BACNET_IP } from './parse.js';
import { BacnetAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const BACNET_PORT = 47808;

export const BACNET: AnalyzerSpec = {
  name: 'bacnet',
  tcp: false,
  udp: true,
  ports: [BACNET_PORT],
  probe,
  // the BVLC type
  firstBytes: [BVLL_TYPE_BACNET_IP],
  create: () => new BacnetAnalyzer(),
};
