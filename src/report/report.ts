// report.json (see spec/PRODUCT.md "report.json") and the short text summary on stdout.
import type { AnalysisResult } from '../engine/analyze.js';
import { VERSION } from '../version.js';
import type { Device, Finding, Metrics, Segment } from './model.js';
import { notDevicesText, type NotDevices } from './view.js';

export type { NotDevices } from './view.js';
import { textReportCard } from './card.js';
import { fenceable } from '../policy/policy.js';
import { inventoryTable } from '../inventory/table.js';

export interface Report {
  wardline: { version: string; kb: { version: string | null; sources: { name: string; date: string; records: number }[] } };
  inputs: AnalysisResult['inputs'];
  /** The date findings were judged at (--as-of). */
  as_of?: string;
  devices: Device[];
  findings: Finding[];
  segments: Segment[];
  metrics: Partial<Metrics>;
  weirds: Record<string, number>;
  stats: AnalysisResult['stats'];
  logs: Record<string, number>;
  /**
   * Senders the inventory did not make devices of, with why (docs/inventory.md): a flood's forged
   * sources and made-up CDP/LLDP announcers. Present only when there were any.
   */
  not_devices?: NotDevices;
}


export function buildReport(r: AnalysisResult): Report {
  return {
    wardline: { version: VERSION, kb: { version: null, sources: [] } },
    inputs: r.inputs,
    as_of: undefined,
    devices: [],
    findings: [],
    segments: [],
    metrics: {},
    weirds: r.weirds,
    stats: r.stats,
    logs: r.logs,
  };
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

export function textSummary(rep: Report, outDir: string): string {
  const lines: string[] = [];
  lines.push(`wardline ${rep.wardline.version}`);
  for (const i of rep.inputs) {
    const state = i.complete ? '' : `  INCOMPLETE: ${i.error}`;
    lines.push(`  ${i.path}: ${i.format}, ${i.link_types.join('/') || '-'}, ${n(i.packets)} packets, ${n(i.bytes)} bytes${state}`);
    if (i.cut_packets !== undefined && i.cut_packets > 0) {
      lines.push(`    ${n(i.cut_packets)} packets cut short by the capture (snap length ${n(i.snaplen ?? 0)} bytes): their payloads are analysed only as far as captured`);
    }
  }
  const s = rep.stats;
  lines.push(`  connections: ${n(s.flows)}${s.flows_evicted ? ` (${n(s.flows_evicted)} evicted under the memory cap)` : ''}`);
  const logs = Object.entries(rep.logs).filter(([, c]) => c > 0).map(([k, c]) => `${k} ${n(c)}`);
  lines.push(`  logs: ${logs.join(', ') || 'none'}`);
  const nd = rep.not_devices;
  if (nd !== undefined) {
    lines.push(`  not devices: ${notDevicesText(nd)}`);
  }
  const w = Object.entries(rep.weirds).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (w.length) {
    lines.push(`  weirds (${w.length} kinds): ${w.slice(0, 6).map(([k, c]) => `${k} ${n(c)}`).join(', ')}${w.length > 6 ? ', …' : ''}`);
  }
  lines.push(`  output: ${outDir}/report.json, ${outDir}/report.html, ${outDir}/logs/`);
  let out = lines.join('\n') + '\n';
  if (rep.devices.length) out += '\n' + inventoryTable(rep.devices, 40);
  if (rep.devices.length || rep.findings.length) out += '\n' + textReportCard(rep);
  // Where to go next for the devices the remedies are about: fencing them.
  const fenced = rep.devices.filter((d) => fenceable(d, 'medical-iot')).length;
  if (fenced > 0) out += `Segmentation (${n(fenced)} medical/IoT device${fenced > 1 ? 's' : ''}): wardline policy --from ${outDir} writes firewall rules that allow only the traffic seen\n`;
  return out;
}
