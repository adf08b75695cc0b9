// The alert shape of spec/PRODUCT.md "Alerts (monitor)": what the detectors raise, the sinks
// deliver and the store keeps. Field names are the contract; extend, never rename.
import type { Evidence, Severity } from './model.js';

export interface Alert {
  /** Stable id: hash of rule, device, the distinguishing key and the episode's first timestamp. */
  id: string;
  /** `scan`, `brute-force`, `lateral-movement`, `new-peer`, … (docs/monitor.md lists them all). */
  rule: string;
  severity: Severity;
  /** Device id of the source (the scanner, the guesser, the device that moved). */
  device: string;
  /** The other side when there is one (target host, server, claimed MAC …), else null. */
  peer: string | null;
  /** Network time of the first and last observation, seconds since the epoch. */
  first_ts: number;
  last_ts: number;
  /** How many observations (probes, failed logins, connections …) the alert covers. */
  count: number;
  evidence: Evidence[];
  /** One sentence a person can act on: what was seen and why it matters. */
  why: string;
}
