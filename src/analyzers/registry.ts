// Every analyzer wardline runs: one import and one entry each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { DHCP } from './dhcp/index.js';
import { DICOM } from './dicom/index.js';
import { DNS } from './dns/index.js';
import { HL7 } from './hl7/index.js';
import { MQTT } from './mqtt/index.js';
import { NBDGM } from './nbdgm/index.js';
import { NTP } from './ntp/index.js';
import { RFB } from './rfb/index.js';
import { SNMP } from './snmp/index.js';
import { SOCKS } from './socks/index.js';
import { SYSLOG } from './syslog/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  DHCP,
  DICOM,
  DNS,
  HL7,
  MQTT,
  NBDGM,
  NTP,
  RFB,
  SNMP,
  SOCKS,
  SYSLOG,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
