// Typed events of the PROFINET analyzer.
import type { DcpInfo, FrameKind } from './parse.js';

/** One DCP PDU (IEC 61158-6-10 §4.3) with the Ethernet addresses that carried it. */
export type ProfinetDcp = Omit<DcpInfo, 'problems' | 'frame_id'> & {
  type: 'profinet.dcp';
  src_mac: string;
  dst_mac: string;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
};

/**
 * The first frame of a cyclic real-time stream or alarm channel (source MAC and FrameID) in the
 * run: the sender speaks PROFINET IO. Later frames of the stream are only counted.
 */
export interface ProfinetRt {
  type: 'profinet.rt';
  src_mac: string;
  dst_mac: string;
  frame_id: number;
  rt_class: FrameKind;
  vlan?: number;
  packet: number;
  [k: string]: unknown;
}
