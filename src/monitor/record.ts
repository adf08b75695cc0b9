// `analyze --db`: one finished analysis merged into the store as a run. Behaviour alerts are
// stored as alerts and, with the same ids, as findings (spec/PRODUCT.md: `scan`, `brute-force`,
// `lateral-movement`, `new-peer` are finding rules too, on the source device).
import type { AnalysisResult } from '../engine/analyze.js';
import type { Device, Finding } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import type { Store } from '../store/store.js';
import type { Monitor } from './monitor.js';
import { alertToFinding } from './alerts.js';

export interface AnalysisRecord {
  result: AnalysisResult;
  /** Capture paths as given on the command line. */
  inputs: string[];
  devices?: Device[];
  findings?: Finding[];
  /** The monitor that ran on the analysis hooks: its alerts (finish() is called here if needed) and baseline rows are stored. */
  monitor?: Monitor;
  /** Re-keys alert devices to the inventory's ids (see Monitor.finish). */
  deviceOf?: (device: string) => string;
}

/** Stores the analysis; returns the run id. Safe to repeat on the same captures (ids merge). */
export function recordAnalysis(store: Store, r: AnalysisRecord): number {
  const alerts: Alert[] = r.monitor !== undefined ? r.monitor.finish({ deviceOf: r.deviceOf }) : [];
  if (r.monitor !== undefined) for (const row of r.monitor.baselineRows()) store.putBaseline(row);
  if (r.monitor !== undefined) for (const c of r.monitor.conversationRows()) store.putConversation(c);
  let first: number | null = null;
  let last: number | null = null;
  for (const i of r.result.inputs) {
    if (i.first_ts !== null && (first === null || i.first_ts < first)) first = i.first_ts;
    if (i.last_ts !== null && (last === null || i.last_ts > last)) last = i.last_ts;
  }
  return store.saveRun({
    kind: 'analyze',
    inputs: r.inputs,
    status: r.result.incomplete ? 'incomplete' : 'complete',
    first_ts: first,
    last_ts: last,
    packets: r.result.stats.packets,
    devices: r.devices ?? [],
    findings: [...(r.findings ?? []), ...alerts.map(alertToFinding)],
    alerts,
    stats: { ...r.result.stats, alerts: alerts.length },
  });
}
