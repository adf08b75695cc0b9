// The inventory as a fixed-width text table for the summary on stdout: one line per device,
// medical devices first, then by category and id; cells cut to their column width.
import type { Device } from '../report/model.js';

const COLUMNS: { title: string; width: number; get: (d: Device) => string }[] = [
  { title: 'DEVICE', width: 22, get: (d) => (d.ips.length > 0 ? d.ips[0] : (d.mac ?? d.id)) + (d.hostnames.length > 0 ? ` ${d.hostnames[0]}` : '') },
  { title: 'VENDOR', width: 24, get: (d) => d.vendor ?? '-' },
  { title: 'CATEGORY', width: 16, get: (d) => d.category + (d.medical ? '*' : '') },
  { title: 'OS', width: 30, get: (d) => (d.os === null ? '-' : `${d.os.name}${d.os.eol === true ? ' (EOL)' : ''}`) },
  { title: 'CONF', width: 4, get: (d) => (d.confidence !== undefined ? d.confidence.toFixed(2) : '-') },
];

function cell(s: string, w: number): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return t.length > w ? `${t.slice(0, w - 1)}…` : t.padEnd(w);
}

/** `limit` rows at most (0 = all); a last line says how many were left out. */
export function inventoryTable(devices: readonly Device[], limit = 0): string {
  const sorted = [...devices].sort((a, b) => Number(b.medical) - Number(a.medical) || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = limit > 0 ? sorted.slice(0, limit) : sorted;
  const lines = [COLUMNS.map((c) => cell(c.title, c.width)).join('  ').trimEnd()];
  for (const d of shown) lines.push(COLUMNS.map((c) => cell(c.get(d), c.width)).join('  ').trimEnd());
  if (shown.length < sorted.length) lines.push(`… ${sorted.length - shown.length} more devices in report.json`);
  lines.push('(* medical)');
  return lines.join('\n') + '\n';
}
