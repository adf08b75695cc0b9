// Typed events of the DTP analyzer.
import type { FrameEvent } from '../frame-event.js';
import type { DtpInfo } from './parse.js';

/** One DTP advertisement (dtp.log): the switch port, or whatever else, that sent it and what it negotiates. */
export type DtpMessage = FrameEvent<DtpInfo, 'dtp.message'>;
