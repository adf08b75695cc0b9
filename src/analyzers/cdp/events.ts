// Typed events of the CDP analyzer.
import type { FrameEvent } from '../frame-event.js';
import type { CdpInfo } from './parse.js';

/** A Cisco neighbour's CDP advertisement, with the Ethernet source that sent it. */
export type CdpNeighbor = FrameEvent<CdpInfo, 'cdp.neighbor'>;
