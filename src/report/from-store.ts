// The report of spec/PRODUCT.md rebuilt from a store (`wardline report --db`): devices, findings
// (open ones first, resolved ones kept with their dates), segments and metrics recomputed from what
// the store holds, and one input line per stored run.
import type { Store } from '../store/store.js';
import type { Device, Finding, Metrics, Segment } from './model.js';
import type { Report } from './report.js';
import { VERSION } from '../version.js';
import { IT_CATEGORIES, MEDICAL_CATEGORIES, IOT_CATEGORIES } from './model.js';

function pct(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((1000 * n) / d) / 10;
}

/** Segments by /24 (IPv4) from the stored devices' addresses. */
function segmentsOf(devices: readonly Device[]): Segment[] {
  const by = new Map<string, Device[]>();
  for (const d of devices) {
    for (const ip of d.ips) {
      const m = /^(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
      if (m === null) continue;
      const k = `${m[1]}.0/24`;
      const l = by.get(k) ?? [];
      if (!l.includes(d)) l.push(d);
      by.set(k, l);
    }
  }
  return [...by.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([cidr, ds]) => {
      const medical = ds.filter((d) => MEDICAL_CATEGORIES.has(d.category)).map((d) => d.id);
      const iot = ds.filter((d) => IOT_CATEGORIES.has(d.category)).map((d) => d.id);
      const it = ds.filter((d) => IT_CATEGORIES.has(d.category)).map((d) => d.id);
      return { id: `subnet:${cidr}`, cidr, devices: ds.map((d) => d.id).sort(), medical_devices: medical, it_devices: it, iot_devices: iot, mixed: (medical.length + iot.length) > 0 && it.length > 0 };
    });
}

export function reportFromStore(store: Store): Report {
  const devices = store.devices();
  const findings: Finding[] = store.findings().filter((f) => f.status !== 'resolved');
  const segments = segmentsOf(devices);
  const byDevice = (rule: string): Set<string> => new Set(findings.filter((f) => f.rule === rule).map((f) => f.device));
  const risky = devices.filter((d) => d.risk.level === 'medium' || d.risk.level === 'high' || d.risk.level === 'critical');
  const imaging = devices.filter((d) => d.category === 'imaging');
  const metrics: Partial<Metrics> = {
    devices: devices.length,
    medical_devices: devices.filter((d) => d.medical).length,
    eol_os_pct: pct(devices.filter((d) => d.os?.eol === true).length, devices.length),
    imaging_eol_os_pct: pct(imaging.filter((d) => d.os?.eol === true).length, imaging.length),
    medium_high_risk_pct: pct(risky.length, devices.length),
    mixed_segments_pct: pct(segments.filter((s) => s.mixed).length, segments.length),
    cleartext_credential_devices: byDevice('cleartext-credentials').size,
    default_credential_devices: byDevice('default-credentials').size,
    internet_exposed_devices: byDevice('internet-exposure').size,
    internet_connected_medical_devices: devices.filter((d) => d.medical && byDevice('internet-communication').has(d.id)).length,
  };
  const runs = store.runs();
  return {
    wardline: { version: VERSION, kb: { version: null, sources: [] } },
    inputs: runs.map((r) => ({
      path: r.inputs.join(', '),
      format: r.kind,
      link_types: [],
      packets: r.packets,
      bytes: 0,
      first_ts: r.first_ts,
      last_ts: r.last_ts,
      complete: r.status === 'complete',
      error: r.status === 'complete' ? null : r.status,
    })),
    as_of: undefined,
    devices,
    findings,
    segments,
    metrics,
    weirds: {},
    stats: { packets: runs.reduce((n, r) => n + r.packets, 0), decoded_l4: 0, flows: 0, flows_evicted: 0, peak_flows: 0, analyzer_failures: 0 },
    logs: {},
  };
}
