// The EtherNet/IP analyzers' registration: encapsulation on TCP and UDP 44818 and CIP I/O
// (implicit messaging, `cip` in conn.log as icsnpp-enip names it) on UDP 2222, each found
// elsewhere by its probe.
import type { AnalyzerSpec } from '../types.js';
import { COMMANDS } from './names.js';
import { CipIoAnalyzer, EnipAnalyzer } from './analyzer.js';
import { probe, probeCipIo } from './probe.js';

export const ENIP_PORT = 44818;
/** ODVA's port for implicit (class 0/1) I/O messaging. */
export const CIP_IO_PORT = 2222;

export const ENIP: AnalyzerSpec = {
  name: 'enip',
  tcp: true,
  udp: true,
  ports: [ENIP_PORT],
  probe,
  // the low byte of an encapsulation command (little-endian)
  firstBytes: [...new Set(Object.keys(COMMANDS).map((k) => Number(k) & 0xff))],
  create: () => new EnipAnalyzer(),
};

export const CIP_IO: AnalyzerSpec = {
  name: 'cip_io',
  tcp: false,
  udp: true,
  ports: [CIP_IO_PORT],
  probe: probeCipIo,
  // the item count (2, little-endian)
  firstBytes: [2],
  create: () => new CipIoAnalyzer(),
};
