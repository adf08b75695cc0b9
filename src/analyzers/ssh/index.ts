// The SSH analyzer's registration (Zeek's service name "ssh", port 22 and the usual alternates).
import { bytesOf, type AnalyzerSpec } from '../types.js';
import { SshAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const SSH: AnalyzerSpec = {
  name: 'ssh',
  tcp: true,
  udp: false,
  ports: [22, 2222],
  probe,
  // "SSH-"
  firstBytes: bytesOf('S'),
  create: () => new SshAnalyzer(),
};
