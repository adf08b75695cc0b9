// The inventory as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote
// or line break in double quotes with quotes doubled). List fields are joined with "; ". A
// field that a spreadsheet would run as a formula (starting with = + - @, tab or CR, OWASP "CSV
// injection") is prefixed with a single quote: host names and banners come from the network.
import type { Device } from '../report/model.js';

export const CSV_COLUMNS = ['device', 'mac', 'ips', 'hostnames', 'vendor', 'model', 'category', 'medical', 'os', 'os_version', 'eol', 'confidence'] as const;

/** One RFC 4180 field, defused against spreadsheet formulas. */
export function csvField(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function inventoryCsv(devices: readonly Device[]): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const d of devices) {
    const os = d.os;
    const eol = os === null || os.eol === null ? '' : `${os.eol ? 'yes' : 'no'}${os.eol_date !== null ? ` (${os.eol_date})` : ''}`;
    const cells = [
      d.id,
      d.mac ?? '',
      d.ips.join('; '),
      d.hostnames.join('; '),
      d.vendor ?? '',
      d.model ?? '',
      d.category,
      d.medical ? 'true' : 'false',
      os?.name ?? '',
      os?.version ?? '',
      eol,
      d.confidence !== undefined ? d.confidence.toFixed(2) : '',
    ];
    rows.push(cells.map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
