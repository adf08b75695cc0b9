// Typed events of the UBDP analyzer.
import type { Announcement } from './parse.js';

/**
 * One UBDP flow: what its announcing side said of itself (the fields of its announcements, merged
 * in order), and the queries seen (ubdp.log).
 */
export interface UbdpSession extends Omit<Announcement, 'truncated'> {
  type: 'ubdp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Header of the first announcement (or of the first query when none came). */
  version?: number;
  command?: number;
  /** The announcing side is the flow's originator (a broadcast) or its responder (an answer). */
  is_orig?: boolean;
  /** Messages with TLVs, and without (queries). */
  announcements: number;
  queries: number;
  [k: string]: unknown;
}
