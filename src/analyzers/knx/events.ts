// Typed events of the KNXnet/IP analyzer.
import type { Cemi, DeviceInfo } from './parse.js';

/** One KNXnet/IP message (knx.log). */
export type KnxMessageEvent = {
  type: 'knx.message';
  is_orig: boolean;
  service: string;
  /** Tunnelling and device-management channel. */
  channel?: number;
  /** Search/description responses: the answering device's description. */
  device?: DeviceInfo;
  /** Search/description requests and connect requests: where the client wants answers. */
  endpoint?: string;
  /** Connect request: tunnel (link layer) or device management. */
  connection_type?: string;
  /** The cEMI frame of a tunnelling request, routing indication or configuration request. */
  cemi?: Cemi;
  /** The cEMI service changes a device (group write, memory or address write, restart …). */
  command?: boolean;
  packet: number;
};
