// The iSCSI analyzer's registration: TCP 3260 and 860, or any port by a login. Service "iscsi",
// as nDPI and Wireshark name it.
import type { AnalyzerSpec } from '../types.js';
import { IscsiAnalyzer } from './analyzer.js';
import { FIRST_BYTES } from './parse.js';
import { ISCSI_PORTS, probe } from './probe.js';

export const ISCSI: AnalyzerSpec = {
  name: 'iscsi',
  tcp: true,
  udp: false,
  ports: ISCSI_PORTS,
  probe,
  firstBytes: FIRST_BYTES,
  create: () => new IscsiAnalyzer(),
};
