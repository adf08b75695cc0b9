// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { MODBUS } from './modbus/index.js';
import { BACNET } from './bacnet/index.js';
import { ENIP } from './enip/index.js';
import { S7COMM } from './s7comm/index.js';
import { SSDP } from './ssdp/index.js';
import { ARP } from './arp/index.js';
import { LLDP } from './lldp/index.js';
import { CDP } from './cdp/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  MODBUS,
  BACNET,
  ENIP,
  S7COMM,
  SSDP,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
  ARP,
  LLDP,
  CDP,
];
