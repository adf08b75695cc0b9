// report.html (spec/PRODUCT.md "--out DIR"): the report for a person, self-contained so that it
// opens from disk with no network (inline CSS, inline SVG charts, one inline script; a
// Content-Security-Policy allows only those). Every string from the report is escaped: device
// names, vendors and evidence values come from the network and are treated as hostile.
// Same report in, same bytes out: no clock, no locale, no randomness; all lists are sorted.
import { fromCapture, type Device, type Evidence, type Finding, type RiskLevel, type Segment } from './model.js';
import { REPORT_CSP, REPORT_CSS, REPORT_JS } from './html-assets.js';
import type { TextSink } from './textfile.js';
import {
  categoryLabel,
  cmpStr,
  deviceName,
  devicesByRisk,
  findingsByDevice,
  actionDevices,
  fixActions,
  fmtInt,
  fmtPct,
  fmtTs,
  MAX_EVIDENCE_SHOWN,
  notDevicesText,
  type NotDevices,
  MAX_FIX_FIRST,
  osLabel,
  RISK_LEVELS,
  SEVERITIES,
  severityRank,
  type ReportView,
} from './view.js';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Text or attribute value made inert: markup characters as entities, controls as U+FFFD. */
export function esc(s: unknown): string {
  const t = typeof s === 'string' ? s : String(s ?? '');
  // Most values need nothing: one test instead of two replacing passes.
  if (!NEEDS_ESCAPE.test(t)) return t;
  return t.replace(CONTROL, '\ufffd').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const LEVEL_COLOR: Record<RiskLevel, string> = { critical: '#7a0f0f', high: '#b42318', medium: '#a15c07', low: '#1a7f37' };
const LEVEL_TITLE: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/** Most names listed per side of a mixed segment before "and N more". */
const MAX_SEGMENT_NAMES = 30;
/**
 * A browser builds about 10^5 page elements a second on a small machine, and a device's details
 * take a hundred: a 15,000-device report laid out in full took 30 s to open in Chromium on the
 * project's machine. Above LAZY_DETAILS_ABOVE devices, the PRERENDERED_DETAILS riskiest are laid
 * out and the others' details are kept as data (inert text the parser skips over) and built when
 * someone follows a link to them (html-assets.ts); the inventory table still lists every device.
 */
export const LAZY_DETAILS_ABOVE = 500;
export const PRERENDERED_DETAILS = 100;

function title(s: string): string {
  return LEVEL_TITLE[s] ?? s;
}

function levelBadge(level: string, score?: number): string {
  const cls = LEVEL_TITLE[level] ? level : 'low';
  return `<span class="badge lvl-${cls}">${esc(title(level))}${score !== undefined ? ` ${esc(score)}` : ''}</span>`;
}

function sevBadge(sev: string): string {
  const cls = LEVEL_TITLE[sev] ? sev : 'info';
  return `<span class="badge sev-${cls}">${esc(title(sev))}</span>`;
}

interface Ctx {
  r: ReportView;
  anchors: Map<string, string>;
  byId: Map<string, Device>;
}

function deviceLink(c: Ctx, id: string): string {
  const d = c.byId.get(id);
  const name = d ? deviceName(d) : id;
  const a = c.anchors.get(id);
  return a ? `<a href="#${a}">${esc(name)}</a>` : esc(name);
}

function header(r: ReportView): string {
  const first = r.inputs.map((i) => i.first_ts).filter((t): t is number => t !== null);
  const last = r.inputs.map((i) => i.last_ts).filter((t): t is number => t !== null);
  const span = first.length && last.length ? ` between ${esc(fmtTs(Math.min(...first)))} and ${esc(fmtTs(Math.max(...last)))}` : '';
  const kb = r.wardline.kb.version ? `, knowledge base ${esc(r.wardline.kb.version)}` : '';
  const asOf = r.as_of ? `, judged as of ${esc(r.as_of)}` : '';
  return (
    `<header class="page"><h1>Network security report</h1>` +
    `<p>${fmtInt(r.devices.length)} devices seen in ${fmtInt(r.inputs.length)} capture${r.inputs.length === 1 ? '' : 's'}${span}.</p>` +
    `<p>wardline ${esc(r.wardline.version)}${kb}${asOf}.</p></header>`
  );
}

function toc(): string {
  const items: [string, string][] = [
    ['report-card', 'Report card'],
    ['fix-first', 'What to fix first'],
    ['risk', 'Risk distribution'],
    ['inventory', 'Inventory'],
    ['devices', 'Devices and findings'],
    ['segments', 'Segments'],
    ['inputs', 'Inputs'],
  ];
  return `<nav class="toc" aria-label="Sections"><ul>${items.map(([id, t]) => `<li><a href="#${id}">${t}</a></li>`).join('')}</ul></nav>`;
}

interface Card {
  value: string;
  label: string;
  hint: string;
  /** true: bad when above zero; the card gets a warning edge. */
  bad: boolean | null;
}

function pctCard(x: number | undefined, label: string, hint: string): Card {
  return { value: fmtPct(x), label, hint, bad: x === undefined || !Number.isFinite(x) ? null : x > 0 };
}

function countCard(x: number | undefined, label: string, hint: string): Card {
  return { value: fmtInt(x), label, hint, bad: x === undefined || !Number.isFinite(x) ? null : x > 0 };
}

function reportCard(r: ReportView): string {
  const m = r.metrics;
  const nDev = m.devices ?? r.devices.length;
  const nMed = m.medical_devices ?? r.devices.filter((d) => d.medical).length;
  const cards: Card[] = [
    { value: fmtInt(nDev), label: 'Devices', hint: `${fmtInt(nMed)} of them medical`, bad: null },
    pctCard(m.eol_os_pct, 'Devices on an end-of-life OS', 'No more security fixes from the OS vendor.'),
    pctCard(m.imaging_eol_os_pct, 'Imaging devices on an end-of-life OS', 'Imaging systems often run old Windows.'),
    pctCard(m.medium_high_risk_pct, 'Devices at medium or high risk', 'By the risk score (see each device).'),
    pctCard(m.unencrypted_bytes_pct, 'Traffic bytes unencrypted', 'Readable by anyone on the path.'),
    pctCard(m.unencrypted_flows_pct, 'Connections unencrypted', 'Share of flows without TLS/SSH/other encryption.'),
    pctCard(m.mixed_segments_pct, 'Segments mixing medical/IoT and IT', 'Medical devices share a network with workstations.'),
    countCard(m.cleartext_credential_devices, 'Devices with clear-text passwords', 'Logins readable on the wire.'),
    countCard(m.default_credential_devices, 'Devices with default passwords', 'Vendor default or SNMP public/private.'),
    countCard(m.internet_exposed_devices, 'Devices reachable from the Internet', 'They answered connections from outside the site.'),
    countCard(m.internet_connected_medical_devices, 'Medical devices talking to the Internet', 'Each should reach only its vendor\'s endpoints.'),
  ];
  const items = cards
    .map((c) => {
      const cls = c.bad === null ? (c.value === 'n/a' ? ' na' : '') : c.bad ? ' warn' : ' ok';
      return `<li class="card${cls}"><p class="value">${esc(c.value)}</p><p class="label">${esc(c.label)}</p><p class="hint">${esc(c.hint)}</p></li>`;
    })
    .join('');
  const sevCounts = SEVERITIES.map((s) => [s, r.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const lead = sevCounts.length
    ? `${fmtInt(r.findings.length)} findings: ${sevCounts.map(([s, n]) => `${fmtInt(n)} ${esc(s)}`).join(', ')}.`
    : 'No findings.';
  return `<section id="report-card" aria-labelledby="report-card-h"><h2 id="report-card-h">Report card</h2><p class="lead">${lead}</p><ul class="cards">${items}</ul></section>`;
}

function fixFirstSection(c: Ctx): string {
  const all = fixActions(c.r);
  let body: string;
  if (all.length === 0) {
    body = '<p>Nothing above informational severity was found.</p>';
  } else {
    const items = all
      .slice(0, MAX_FIX_FIRST)
      .map((a) => {
        const occurrences = actionDevices(a);
        const cves = a.cves.length ? ` <span class="muted">${esc(a.cves.slice(0, 5).join(', '))}${a.cves.length > 5 ? ', …' : ''}</span>` : '';
        const kev = a.kev ? ' <span class="tag kev">Known exploited</span>' : '';
        const n = occurrences.length;
        const links = occurrences.slice(0, FIX_DEVICES).map((o) => deviceLink(c, o.finding.device)).join(', ');
        const where = n === 1 ? links : `${fmtInt(n)} devices: ${links}${n > FIX_DEVICES ? ` and ${fmtInt(n - FIX_DEVICES)} more` : ''}`;
        return (
          `<li>${sevBadge(a.severity)} <strong>${esc(a.title)}</strong> on ${where}${kev}${cves}` +
          (a.remediation ? `<p class="fixit"><strong>Fix:</strong> ${esc(a.remediation)}</p>` : '') +
          `</li>`
        );
      })
      .join('');
    const rest = all.slice(MAX_FIX_FIRST).reduce((k, a) => k + a.findings, 0);
    const more = rest > 0 ? `<p>… and ${fmtInt(rest)} more in <a href="#devices">Devices and findings</a>.</p>` : '';
    body = `<ol class="fix">${items}</ol>${more}`;
  }
  return (
    `<section id="fix-first" aria-labelledby="fix-first-h"><h2 id="fix-first-h">What to fix first</h2>` +
    `<p>Ordered by severity, known exploitation, CVSS and the device's risk; a fix that several devices need is listed once.</p>${body}</section>`
  );
}

/** Devices linked in one fix-first entry; the rest are counted. */
const FIX_DEVICES = 8;

const CHART_W = 560;
const BAR_H = 26;
const BAR_GAP = 8;
const LABEL_W = 150;
const COUNT_W = 50;

function levelChart(r: ReportView): string {
  const counts = RISK_LEVELS.map((l) => [l, r.devices.filter((d) => d.risk.level === l).length] as const);
  const max = Math.max(1, ...counts.map(([, n]) => n));
  const span = CHART_W - LABEL_W - COUNT_W;
  const h = counts.length * (BAR_H + BAR_GAP) + BAR_GAP;
  const desc = counts.map(([l, n]) => `${title(l)}: ${n}`).join(', ');
  const bars = counts
    .map(([l, n], i) => {
      const y = BAR_GAP + i * (BAR_H + BAR_GAP);
      const w = n === 0 ? 0 : Math.max(2, Math.round((n / max) * span));
      return (
        `<text x="${LABEL_W - 8}" y="${y + BAR_H / 2 + 5}" text-anchor="end" font-size="14" fill="#1b1f24">${title(l)}</text>` +
        `<rect x="${LABEL_W}" y="${y}" width="${w}" height="${BAR_H}" fill="${LEVEL_COLOR[l]}" rx="3"/>` +
        `<text x="${LABEL_W + w + 6}" y="${y + BAR_H / 2 + 5}" font-size="14" fill="#1b1f24">${n}</text>`
      );
    })
    .join('');
  return (
    `<figure><figcaption id="chart-level-cap">Devices by risk level</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_W}" height="${h}" viewBox="0 0 ${CHART_W} ${h}" role="img" aria-labelledby="chart-level-t chart-level-d">` +
    `<title id="chart-level-t">Devices by risk level</title><desc id="chart-level-d">${esc(desc)}</desc>${bars}</svg></figure>`
  );
}

function categoryChart(r: ReportView): string {
  const cats = new Map<string, Record<RiskLevel, number>>();
  for (const d of r.devices) {
    let row = cats.get(d.category);
    if (!row) cats.set(d.category, (row = { critical: 0, high: 0, medium: 0, low: 0 }));
    if (row[d.risk.level] !== undefined) row[d.risk.level]++;
  }
  if (cats.size === 0) return '';
  const total = (x: Record<RiskLevel, number>) => x.critical + x.high + x.medium + x.low;
  const rows = [...cats.entries()].sort(
    (a, b) => b[1].critical - a[1].critical || b[1].high - a[1].high || total(b[1]) - total(a[1]) || cmpStr(a[0], b[0]),
  );
  const max = Math.max(1, ...rows.map(([, x]) => total(x)));
  const span = CHART_W - LABEL_W - COUNT_W;
  const legendH = 24;
  const h = legendH + rows.length * (BAR_H + BAR_GAP) + BAR_GAP;
  const legend = RISK_LEVELS.map(
    (l, i) =>
      `<rect x="${LABEL_W + i * 95}" y="4" width="14" height="14" fill="${LEVEL_COLOR[l]}"/>` +
      `<text x="${LABEL_W + i * 95 + 19}" y="16" font-size="13" fill="#1b1f24">${title(l)}</text>`,
  ).join('');
  const desc = rows.map(([cat, x]) => `${categoryLabel(cat)}: ${RISK_LEVELS.map((l) => `${x[l]} ${l}`).join(', ')}`).join('; ');
  const bars = rows
    .map(([cat, x], i) => {
      const y = legendH + BAR_GAP + i * (BAR_H + BAR_GAP);
      let at = LABEL_W;
      let segs = '';
      for (const l of RISK_LEVELS) {
        if (x[l] === 0) continue;
        const w = Math.max(2, Math.round((x[l] / max) * span));
        segs += `<rect x="${at}" y="${y}" width="${w}" height="${BAR_H}" fill="${LEVEL_COLOR[l]}"><title>${esc(`${categoryLabel(cat)}: ${x[l]} ${l}`)}</title></rect>`;
        at += w;
      }
      return (
        `<text x="${LABEL_W - 8}" y="${y + BAR_H / 2 + 5}" text-anchor="end" font-size="14" fill="#1b1f24">${esc(categoryLabel(cat))}</text>` +
        segs +
        `<text x="${at + 6}" y="${y + BAR_H / 2 + 5}" font-size="14" fill="#1b1f24">${total(x)}</text>`
      );
    })
    .join('');
  return (
    `<figure><figcaption>Risk by device category</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_W}" height="${h}" viewBox="0 0 ${CHART_W} ${h}" role="img" aria-labelledby="chart-cat-t chart-cat-d">` +
    `<title id="chart-cat-t">Risk by device category</title><desc id="chart-cat-d">${esc(desc)}</desc>${legend}${bars}</svg></figure>`
  );
}

function riskSection(r: ReportView): string {
  return (
    `<section id="risk" aria-labelledby="risk-h"><h2 id="risk-h">Risk distribution</h2>` +
    `<div class="charts">${levelChart(r)}${categoryChart(r)}</div></section>`
  );
}

function inventory(c: Ctx, devices: Device[], counts: Map<string, Finding[]>, notDevices: NotDevices | undefined, out: TextSink): void {
  const head =
    `<thead><tr>` +
    `<th scope="col" aria-sort="none" data-type="text"><button type="button">Device</button></th>` +
    `<th scope="col" aria-sort="none" data-type="text"><button type="button">Vendor</button></th>` +
    `<th scope="col" aria-sort="none" data-type="text"><button type="button">Model</button></th>` +
    `<th scope="col" aria-sort="none" data-type="text"><button type="button">Category</button></th>` +
    `<th scope="col" aria-sort="none" data-type="text"><button type="button">OS</button></th>` +
    `<th scope="col" aria-sort="descending" data-type="number" class="num"><button type="button">Risk</button></th>` +
    `<th scope="col" aria-sort="none" data-type="number" class="num"><button type="button">Findings</button></th>` +
    `</tr></thead>`;
  const levels = RISK_LEVELS.map((l) => `<option value="${l}">${title(l)}</option>`).join('');
  out(
    `<section id="inventory" aria-labelledby="inventory-h"><h2 id="inventory-h">Inventory</h2>` +
      `<div class="controls">` +
      `<label for="inventory-filter">Filter devices<input id="inventory-filter" type="search" placeholder="name, address, vendor, OS…" autocomplete="off"></label>` +
      `<label for="inventory-level">Risk level<select id="inventory-level"><option value="">All levels</option>${levels}</select></label>` +
      `<span id="inventory-status" class="status" role="status" aria-live="polite">${devices.length} of ${devices.length} devices shown</span>` +
      `</div>` +
      `<table id="inventory-table"><caption>Devices, riskiest first. Select a column heading to sort.</caption>${head}<tbody>`,
  );
  for (const d of devices) {
    const name = deviceName(d);
    const addr = [...d.ips.slice(0, 3), ...(d.mac && d.mac !== name ? [d.mac] : [])].filter((x) => x !== name);
    const os = osLabel(d);
    const eol = d.os?.eol ? ' <span class="tag eol">EOL</span>' : '';
    const nf = counts.get(d.id)?.length ?? 0;
    out(
      `<tr data-level="${esc(d.risk.level)}">` +
      `<td data-sort="${esc(name.toLowerCase())}"><a href="#${c.anchors.get(d.id)}">${esc(name)}</a>` +
      (addr.length ? `<br><span class="muted">${esc(addr.join(', '))}</span>` : '') +
      `</td><td>${esc(d.vendor ?? '')}</td><td>${esc(d.model ?? '')}</td>` +
      `<td data-sort="${esc(categoryLabel(d.category).toLowerCase())}">${esc(categoryLabel(d.category))}${d.medical ? ' <span class="tag">medical</span>' : ''}</td>` +
      `<td data-sort="${esc(os.toLowerCase())}">${esc(os)}${eol}</td>` +
      `<td class="num" data-sort="${d.risk.score}">${levelBadge(d.risk.level, d.risk.score)}</td>` +
      `<td class="num" data-sort="${nf}">${nf}</td></tr>`,
    );
  }
  out(`</tbody></table>`);
  // Senders left out of the inventory: a flood's made-up hosts would otherwise be thousands of rows.
  if (notDevices !== undefined) out(`<p class="muted" id="not-devices">Not devices, left out of the inventory: ${esc(notDevicesText(notDevices))}.</p>`);
  out(`</section>`);
}

function evidenceTable(ev: Evidence[], caption: string): string {
  if (ev.length === 0) return '';
  const sorted = [...ev].sort((a, b) => a.ts - b.ts || cmpStr(a.file, b.file) || a.packet - b.packet || cmpStr(a.source, b.source) || cmpStr(a.fact, b.fact) || cmpStr(a.value, b.value));
  const shown = sorted.slice(0, MAX_EVIDENCE_SHOWN);
  const rows = shown
    .map(
      (e) =>
        `<tr><td>${esc(e.fact)}</td><td>${esc(e.value)}</td><td>${esc(e.source)}</td><td>${esc(e.file)}</td>` +
        (fromCapture(e) ? `<td class="num">${esc(e.packet)}</td><td>${esc(fmtTs(e.ts))}</td></tr>` : `<td class="num"></td><td></td></tr>`),
    )
    .join('');
  const more = ev.length > shown.length ? `<p class="muted">${fmtInt(ev.length - shown.length)} more in report.json.</p>` : '';
  return (
    `<table class="evidence"><caption>${esc(caption)}</caption><thead><tr><th scope="col">Fact</th><th scope="col">Value</th>` +
    `<th scope="col">Source field</th><th scope="col">File</th><th scope="col" class="num">Packet</th><th scope="col">Time (UTC)</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>${more}`
  );
}

function findingBlock(f: Finding): string {
  const tags: string[] = [`<span class="tag">${esc(f.rule)}</span>`];
  if (f.kev) tags.push('<span class="tag kev">Known exploited (CISA KEV)</span>');
  if (f.cvss !== undefined) tags.push(`<span class="tag">CVSS ${esc(f.cvss)}</span>`);
  if (f.advisory) tags.push(`<span class="tag">${esc(f.advisory)}</span>`);
  const cves = f.cves.length ? `<p><strong>CVEs:</strong> ${esc(f.cves.join(', '))}</p>` : '';
  return (
    `<li class="finding"><h5>${sevBadge(f.severity)} ${esc(f.title)}</h5><p>${tags.join('')}</p>` +
    (f.detail ? `<p>${esc(f.detail)}</p>` : '') +
    cves +
    (f.remediation ? `<p><strong>Fix:</strong> ${esc(f.remediation)}</p>` : '') +
    evidenceTable(f.evidence, 'Evidence') +
    `</li>`
  );
}

function fact(label: string, value: string): string {
  return value ? `<dt>${esc(label)}</dt><dd>${value}</dd>` : '';
}

function deviceSection(c: Ctx, d: Device, findings: Finding[]): string {
  const a = c.anchors.get(d.id)!;
  const worst = findings.reduce((m, f) => Math.max(m, severityRank(f.severity)), 0);
  const open = worst >= 2 || d.risk.level !== 'low' ? ' open' : '';
  const os = d.os
    ? esc(osLabel(d)) +
      (d.os.eol ? ` <span class="tag eol">end of life${d.os.eol_date ? ` since ${esc(d.os.eol_date)}` : ''}</span>` : d.os.eol_date ? ` <span class="muted">(support ends ${esc(d.os.eol_date)})</span>` : '')
    : '';
  const seen = d.first_seen !== undefined && d.last_seen !== undefined ? `${esc(fmtTs(d.first_seen))} to ${esc(fmtTs(d.last_seen))}` : '';
  const facts =
    fact('Id', esc(d.id)) +
    fact('MAC', esc(d.mac ?? '')) +
    fact('Addresses', esc(d.ips.join(', '))) +
    fact('Hostnames', esc(d.hostnames.join(', '))) +
    fact('Vendor', esc(d.vendor ?? '')) +
    fact('Model', esc(d.model ?? '')) +
    fact('Category', esc(categoryLabel(d.category)) + (d.medical ? ' <span class="tag">medical</span>' : '') + (d.category_reason ? ` <span class="muted">(${esc(d.category_reason)})</span>` : '')) +
    fact('OS', os) +
    fact('Software', esc(d.software.join(', '))) +
    fact('Services', esc(d.services.join(', '))) +
    fact('Protocols', esc(d.protocols.join(', '))) +
    fact('VLANs', esc((d.vlans ?? []).join(', '))) +
    fact('Seen', seen);
  const factors = [...d.risk.factors].sort((x, y) => y.points - x.points || cmpStr(x.id, y.id));
  const factorTable = factors.length
    ? `<table><caption>Why this risk score (${esc(d.risk.score)} of 100)</caption><thead><tr><th scope="col">Factor</th><th scope="col" class="num">Points</th><th scope="col">Why</th></tr></thead><tbody>` +
      factors.map((f) => `<tr><td>${esc(f.id)}</td><td class="num">${esc(f.points)}</td><td>${esc(f.why)}</td></tr>`).join('') +
      `</tbody></table>`
    : '';
  const fl = findings.length
    ? `<h4>Findings (${findings.length})</h4><ol class="findings">${findings.map(findingBlock).join('')}</ol>`
    : '<h4>Findings</h4><p>None.</p>';
  return (
    `<details class="device" id="${a}"${open}><summary><h3>${esc(deviceName(d))}</h3> ${levelBadge(d.risk.level, d.risk.score)} ` +
    `<span class="muted">${esc(categoryLabel(d.category))}${d.vendor ? `, ${esc(d.vendor)}` : ''}${d.model ? ` ${esc(d.model)}` : ''}</span></summary>` +
    `<div class="body"><dl class="facts">${facts}</dl>${factorTable}${fl}${evidenceTable(d.evidence, 'Identity evidence')}</div></details>`
  );
}

/** Separates the held sections: a form feed, which esc() never lets through and the markup never uses. */
export const HELD_SEPARATOR = '\f';

/**
 * Markup made inert text for a script element: "</" (an end tag) and "<!" (a comment, after which
 * "<script" counts) are the only special sequences there, and they become "<\/" and "<\!".
 * Escaped text never holds a raw "<", so "<\" appears only from this and the page's script undoes it.
 */
export function holdMarkup(html: string): string {
  return html.replace(/<([/!])/g, '<\\$1');
}

function devicesSection(c: Ctx, devices: Device[], byDev: Map<string, Finding[]>, out: TextSink): void {
  out(`<section id="devices" aria-labelledby="devices-h"><h2 id="devices-h">Devices and findings</h2>`);
  const lazy = devices.length > LAZY_DETAILS_ABOVE;
  const shown = lazy ? PRERENDERED_DETAILS : devices.length;
  if (lazy) {
    out(
      `<p class="muted" id="devices-lazy">The ${fmtInt(shown)} riskiest of the ${fmtInt(devices.length)} devices are shown below. ` +
        `The details of the others open when you select them in the inventory or follow a link to them ` +
        `(at this size the page keeps them as data, so that it opens quickly); report.json has everything.</p>`,
    );
  }
  for (let i = 0; i < shown; i++) out(deviceSection(c, devices[i], byDev.get(devices[i].id) ?? []));
  if (lazy) {
    // Section k (form-feed separated) is that of anchor dev-(first + k), held as text (holdMarkup).
    out(`<div id="device-more"></div><script type="text/x-wardline-devices" id="device-details" data-first="${shown + 1}">`);
    for (let i = shown; i < devices.length; i++) {
      out((i > shown ? HELD_SEPARATOR : '') + holdMarkup(deviceSection(c, devices[i], byDev.get(devices[i].id) ?? [])));
    }
    out(`</script>`);
  }
  const orphanIds = [...byDev.keys()].filter((id) => !c.byId.has(id)).sort(cmpStr);
  if (orphanIds.length) {
    out(`<h3>Findings on devices not in the inventory</h3>`);
    for (const id of orphanIds) {
      out(`<h4>${esc(id)}</h4><ol class="findings">${byDev.get(id)!.map(findingBlock).join('')}</ol>`);
    }
  } else if (devices.length === 0) out('<p>No devices.</p>');
  out(`</section>`);
}

function nameList(c: Ctx, ids: string[]): string {
  const sorted = [...ids].sort(cmpStr);
  const shown = sorted.slice(0, MAX_SEGMENT_NAMES).map((id) => deviceLink(c, id));
  return shown.join(', ') + (sorted.length > shown.length ? `, and ${fmtInt(sorted.length - shown.length)} more` : '');
}

/** The segment-mixed findings on the segment's devices: they name the cross-traffic. */
function segmentFindings(c: Ctx, s: Segment): string {
  const members = new Set(s.devices);
  const fs = c.r.findings
    .filter((f) => f.rule === 'segment-mixed' && members.has(f.device))
    .sort((a, b) => cmpStr(a.device, b.device) || cmpStr(a.id, b.id));
  if (fs.length === 0) return '';
  return `<ul>${fs.map((f) => `<li>${sevBadge(f.severity)} ${esc(f.title)} (${deviceLink(c, f.device)})${f.detail ? `: ${esc(f.detail)}` : ''}</li>`).join('')}</ul>`;
}

function segmentsSection(c: Ctx): string {
  const segs = [...c.r.segments].sort((a, b) => Number(b.mixed) - Number(a.mixed) || b.devices.length - a.devices.length || cmpStr(a.id, b.id));
  if (segs.length === 0) {
    return `<section id="segments" aria-labelledby="segments-h"><h2 id="segments-h">Segments</h2><p>No segments were inferred.</p></section>`;
  }
  // The segment's network (its id is the same text, or vlan:N): one column, not two.
  const where = (s: Segment) => [s.cidr, s.vlan !== undefined ? `VLAN ${s.vlan}` : ''].filter((x) => x).join(', ') || s.id;
  const rows = segs
    .map(
      (s) =>
        `<tr><td>${esc(where(s))}</td><td class="num">${s.devices.length}</td><td class="num">${s.medical_devices.length}</td>` +
        `<td class="num">${s.iot_devices?.length ?? ''}</td><td class="num">${s.it_devices.length}</td><td>${s.mixed ? '<span class="tag mixed">mixed</span>' : 'no'}</td></tr>`,
    )
    .join('');
  const mixed = segs
    .filter((s) => s.mixed)
    .map(
      (s) =>
        `<h3>${esc(where(s))}</h3><dl class="facts">` +
        fact('Medical', nameList(c, s.medical_devices)) +
        fact('IoT', nameList(c, s.iot_devices ?? [])) +
        fact('IT', nameList(c, s.it_devices)) +
        `</dl>` +
        segmentFindings(c, s),
    )
    .join('');
  return (
    `<section id="segments" aria-labelledby="segments-h"><h2 id="segments-h">Segments</h2>` +
    `<p>A segment is mixed when medical or IoT devices share it with IT workstations or servers: malware on a workstation can then reach the medical devices directly.</p>` +
    `<table><caption>Segments, mixed first</caption><thead><tr><th scope="col">Segment</th><th scope="col" class="num">Devices</th>` +
    `<th scope="col" class="num">Medical</th><th scope="col" class="num">IoT</th><th scope="col" class="num">IT</th><th scope="col">Mixed</th></tr></thead><tbody>${rows}</tbody></table>` +
    (mixed ? `<h3 class="muted">Devices in mixed segments</h3>${mixed}` : '') +
    `</section>`
  );
}

function inputsSection(r: ReportView): string {
  const rows = r.inputs
    .map(
      (i) =>
        `<tr><td>${esc(i.path)}</td><td>${esc(i.format)}</td><td>${esc(i.link_types.join(', '))}</td><td class="num">${fmtInt(i.packets)}</td>` +
        `<td class="num">${fmtInt(i.bytes)}</td><td>${esc(fmtTs(i.first_ts))}</td><td>${esc(fmtTs(i.last_ts))}</td>` +
        `<td>${i.complete ? 'complete' : `<strong>incomplete:</strong> ${esc(i.error ?? '')}`}` +
        `${i.cut_packets ? `; ${fmtInt(i.cut_packets)} packets cut short (snap length ${fmtInt(i.snaplen ?? 0)} bytes): payloads analysed only as far as captured` : ''}</td></tr>`,
    )
    .join('');
  const weirds = Object.entries(r.weirds).sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]));
  const weirdTable = weirds.length
    ? `<table><caption>Weirds: malformed or unexpected traffic, counted by name</caption><thead><tr><th scope="col">Name</th><th scope="col" class="num">Count</th></tr></thead><tbody>` +
      weirds.map(([k, n]) => `<tr><td>${esc(k)}</td><td class="num">${fmtInt(n)}</td></tr>`).join('') +
      `</tbody></table>`
    : '<p>No weirds.</p>';
  const srcs = [...r.wardline.kb.sources].sort((a, b) => cmpStr(a.name, b.name));
  const kb = srcs.length
    ? `<table><caption>Knowledge base sources</caption><thead><tr><th scope="col">Source</th><th scope="col">Date</th><th scope="col" class="num">Records</th></tr></thead><tbody>` +
      srcs.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.date)}</td><td class="num">${fmtInt(s.records)}</td></tr>`).join('') +
      `</tbody></table>`
    : '';
  return (
    `<section id="inputs" aria-labelledby="inputs-h"><h2 id="inputs-h">Inputs</h2>` +
    `<table><caption>Captures analysed</caption><thead><tr><th scope="col">File</th><th scope="col">Format</th><th scope="col">Link types</th>` +
    `<th scope="col" class="num">Packets</th><th scope="col" class="num">Bytes</th><th scope="col">First packet (UTC)</th><th scope="col">Last packet (UTC)</th><th scope="col">Status</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>${weirdTable}${kb}</section>`
  );
}

/** report.html for a report: one self-contained, deterministic page. */
export function renderHtml(r: ReportView): string {
  const parts: string[] = [];
  renderHtmlTo(r, (s) => parts.push(s));
  return parts.join('');
}

/** renderHtml() handed to `out` piece by piece (a device at a time), for writing to a file. */
export function renderHtmlTo(r: ReportView, out: TextSink): void {
  const devices = devicesByRisk(r);
  const anchors = new Map<string, string>();
  devices.forEach((d, i) => anchors.set(d.id, `dev-${i + 1}`));
  const byId = new Map(devices.map((d) => [d.id, d] as const));
  const c: Ctx = { r, anchors, byId };
  const byDev = findingsByDevice(r);
  out(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="generator" content="wardline ${esc(r.wardline.version)}">` +
    `<title>wardline network security report</title><style>${REPORT_CSS}</style></head>\n<body>` +
    `<a class="skip" href="#main">Skip to the report</a>` +
    header(r) +
    toc() +
    `<main id="main">` +
    reportCard(r) +
    fixFirstSection(c) +
    riskSection(r),
  );
  inventory(c, devices, byDev, r.not_devices, out);
  devicesSection(c, devices, byDev, out);
  out(
    segmentsSection(c) +
    inputsSection(r) +
    `</main><footer>Generated by wardline ${esc(r.wardline.version)} from report.json. This page is self-contained and makes no network requests.</footer>` +
    `<script>${REPORT_JS}</script></body></html>\n`,
  );
}
