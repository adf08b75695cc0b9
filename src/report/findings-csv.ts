// The findings as CSV, for the spreadsheets risk registers and biomedical engineering keep: one
// row per finding, the device it concerns named as the inventory names it, the first piece of
// evidence (capture, packet, time, fact) and how many there are. Same quoting and formula
// defusing as the inventory's CSV (src/inventory/csv.ts). Nothing here is not already in
// report.json: no password, community or patient value.
import { csvField } from '../inventory/csv.js';
import type { Device, Finding } from './model.js';

export const FINDINGS_CSV_COLUMNS = ['finding', 'rule', 'severity', 'device', 'device_name', 'ips', 'category', 'medical', 'title', 'detail', 'remediation', 'cves', 'evidence', 'evidence_count'] as const;

export function findingsCsv(findings: readonly Finding[], devices: readonly Device[]): string {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const rows: string[] = [FINDINGS_CSV_COLUMNS.join(',')];
  for (const f of findings) {
    const d = byId.get(f.device);
    const e = f.evidence[0];
    const where = e === undefined ? '' : `${e.file}${e.packet > 0 ? ` packet ${e.packet}` : ''}${e.ts > 0 ? ` at ${new Date(Math.round(e.ts * 1000)).toISOString()}` : ''}: ${e.source} ${e.fact}=${e.value}`;
    const cells = [
      f.id,
      f.rule,
      f.severity,
      f.device,
      d !== undefined ? (d.hostnames[0] ?? d.ips[0] ?? d.mac ?? d.id) : '',
      d !== undefined ? d.ips.join('; ') : '',
      d?.category ?? '',
      d !== undefined ? String(d.medical) : '',
      f.title,
      f.detail,
      f.remediation,
      f.cves.join('; '),
      where,
      String(f.evidence.length),
    ];
    rows.push(cells.map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
