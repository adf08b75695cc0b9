// The text summary's report card (spec/PRODUCT.md: "stdout: a short human summary"): the network's
// figures after Unit 42's IoT threat report card, the riskiest devices, and what to fix first.
// Names come from the network, so every one goes through plain() (no terminal escapes).
import {
  categoryLabel,
  devicesByRisk,
  deviceName,
  actionDevices,
  fixActions,
  fmtInt,
  fmtPct,
  osLabel,
  plain,
  type ReportView,
} from './view.js';

export interface ReportCardOptions {
  /** Riskiest devices listed (default 5). */
  topDevices?: number;
  /** Findings in the fix-first list (default 10). */
  fixFirst?: number;
}

const LABEL_WIDTH = 44;
/** Devices named in one fix-first line; the rest are counted. */
const FIX_NAMES = 3;

function row(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH, ' ')} ${value}`;
}

export function textReportCard(r: ReportView, opts: ReportCardOptions = {}): string {
  const topN = opts.topDevices ?? 5;
  const fixN = opts.fixFirst ?? 10;
  const m = r.metrics;
  const lines: string[] = [];
  const nDev = m.devices ?? r.devices.length;
  const nMed = m.medical_devices ?? r.devices.filter((d) => d.medical).length;
  lines.push(`Report card: ${fmtInt(nDev)} devices, ${fmtInt(nMed)} medical${r.as_of ? `, as of ${plain(r.as_of)}` : ''}`);
  lines.push(row('Devices on an end-of-life OS', fmtPct(m.eol_os_pct)));
  lines.push(row('Imaging devices on an end-of-life OS', fmtPct(m.imaging_eol_os_pct)));
  lines.push(row('Devices at medium or high risk', fmtPct(m.medium_high_risk_pct)));
  lines.push(row('Traffic unencrypted (bytes / flows)', `${fmtPct(m.unencrypted_bytes_pct)} / ${fmtPct(m.unencrypted_flows_pct)}`));
  lines.push(row('Segments mixing medical/IoT with IT', fmtPct(m.mixed_segments_pct)));
  lines.push(row('Devices with clear-text credentials', fmtInt(m.cleartext_credential_devices)));
  lines.push(row('Devices with default credentials', fmtInt(m.default_credential_devices)));
  lines.push(row('Devices reachable from the Internet', fmtInt(m.internet_exposed_devices)));
  lines.push(row('Medical devices talking to the Internet', fmtInt(m.internet_connected_medical_devices)));

  const top = devicesByRisk(r).filter((d) => d.risk.level !== 'low' || d.risk.score > 0).slice(0, topN);
  if (top.length) {
    lines.push('Top risks');
    top.forEach((d, i) => {
      const what = [categoryLabel(d.category), d.vendor, d.model, osLabel(d)].filter((x) => x).map(plain).join(', ');
      const why = [...d.risk.factors]
        .sort((a, b) => b.points - a.points || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, 3)
        .map((f) => plain(f.why || f.id))
        .join('; ');
      lines.push(`  ${i + 1}. ${d.risk.level.toUpperCase()} ${d.risk.score}  ${plain(deviceName(d))} (${what})${why ? ` - ${why}` : ''}`);
    });
  }

  const actions = fixActions(r);
  if (actions.length) {
    // One line per action, naming every device it concerns (the first few, then a count).
    const shown = actions.slice(0, fixN);
    lines.push('Fix first');
    shown.forEach((a, i) => {
      const occurrences = actionDevices(a);
      const names = occurrences.slice(0, FIX_NAMES).map((o) => plain(o.device ? deviceName(o.device) : o.finding.device));
      const n = occurrences.length;
      const where = n === 1 ? names[0] : `${fmtInt(n)} devices: ${names.join(', ')}${n > names.length ? ` and ${fmtInt(n - names.length)} more` : ''}`;
      const cves = a.cves.length ? ` [${a.cves.slice(0, 3).map(plain).join(', ')}${a.cves.length > 3 ? ', …' : ''}]` : '';
      lines.push(`  ${i + 1}. ${a.severity.toUpperCase()} ${plain(a.title)} on ${where}${cves}`);
      if (a.remediation) lines.push(`     fix: ${plain(a.remediation)}`);
    });
    const rest = actions.slice(fixN).reduce((k, a) => k + a.findings, 0);
    if (rest > 0) lines.push(`  … and ${fmtInt(rest)} more findings in report.json / report.html`);
  } else {
    lines.push('Fix first: nothing above informational severity was found');
  }
  return lines.join('\n') + '\n';
}
