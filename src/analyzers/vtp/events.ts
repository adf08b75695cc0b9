// Typed events of the VTP analyzer.
import type { FrameEvent } from '../frame-event.js';
import type { VtpInfo } from './parse.js';

/** One VTP message (vtp.log): the sending port and what it says of the domain's VLAN database. */
export type VtpMessage = FrameEvent<VtpInfo, 'vtp.message'>;
