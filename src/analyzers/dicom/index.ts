// The DICOM analyzer's registration: TCP, found on any port by its A-ASSOCIATE-RQ, or mid-way
// through an association by a command's P-DATA-TF or by P-DATA/release PDUs from both sides.
import type { AnalyzerSpec } from '../types.js';
import { DicomAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

export const DICOM: AnalyzerSpec = {
  name: 'dicom',
  tcp: true,
  udp: false,
  ports: [104, 11112, 4242],
  probe,
  // the PDU types A-ASSOCIATE-RQ … A-ABORT (PS3.8 §9.3)
  firstBytes: [1, 2, 3, 4, 5, 6, 7],
  pairedMaybe: true,
  create: () => new DicomAnalyzer(),
};
