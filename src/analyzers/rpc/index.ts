// The ONC RPC analyzer's registration: the portmapper (111) and NFS (2049) ports over UDP and
// TCP, and any port whose first message is an RPC call to a known program (mountd, lockd and
// statd register on ports the portmapper hands out). conn.log names the program: portmapper,
// nfs, mount (Zeek's names), nlockmgr, status …
import type { AnalyzerSpec } from '../types.js';
import { RpcAnalyzer } from './analyzer.js';
import { NFS_PORT, PORTMAP_PORT } from './parse.js';
import { probe } from './probe.js';

export const RPC: AnalyzerSpec = {
  name: 'rpc',
  tcp: true,
  udp: true,
  ports: [PORTMAP_PORT, NFS_PORT],
  probe,
  create: () => new RpcAnalyzer(),
};
