// Typed events of the EtherNet/IP analyzer.
import type { EnipMessage } from './parse.js';

/** One encapsulation message (and its ListIdentity identities or first CIP message). */
export type EnipEvent = EnipMessage & {
  type: 'enip.message';
  is_orig: boolean;
  packet: number;
  [k: string]: unknown;
};

/** One implicit-messaging I/O datagram (cip_io.log, as CISA's icsnpp-enip writes it). */
export interface CipIoEvent {
  type: 'enip.cip_io';
  is_orig: boolean;
  connection_id: number;
  sequence_number: number;
  data_length: number;
  /** The Connected Data item's bytes in hex, at most MAX_IO_DATA (512) of them. */
  io_data: string;
  packet: number;
  [k: string]: unknown;
}
