// The BACnet/IP analyzer's registration (UDP 47808 = 0xBAC0, found elsewhere by its probe).
import type { AnalyzerSpec } from '../types.js';
import { BacnetAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const BACNET_PORT = 47808;

export const BACNET: AnalyzerSpec = {
  name: 'bacnet',
  tcp: false,
  udp: true,
  ports: [BACNET_PORT],
  probe,
  create: () => new BacnetAnalyzer(),
};
