// Typed events of the BACnet/IP analyzer.
import type { BacnetMessage } from './parse.js';

/** One BVLL message (and the NPDU/APDU it carried), with any device identity it revealed. */
export type BacnetApdu = BacnetMessage & {
  type: 'bacnet.message';
  is_orig: boolean;
  /** A password was sent (DeviceCommunicationControl, ReinitializeDevice); `secret` is its digest. */
  password_sent?: boolean;
  secret?: string;
  packet: number;
  [k: string]: unknown;
};
