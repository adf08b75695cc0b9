// Every analyzer wardline runs: one line each.
import type { AnalyzerSpec, FrameAnalyzerSpec } from './types.js';
import { DICOM } from './dicom/index.js';
import { HL7 } from './hl7/index.js';
import { SNMP } from './snmp/index.js';
import { MQTT } from './mqtt/index.js';
import { SOCKS } from './socks/index.js';
import { RFB } from './rfb/index.js';

export const ANALYZERS: AnalyzerSpec[] = [
  DICOM,
  HL7,
  SNMP,
  MQTT,
  SOCKS,
  RFB,
];

export const FRAME_ANALYZERS: FrameAnalyzerSpec[] = [
];
