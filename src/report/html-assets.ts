// The style sheet and script inlined into report.html. Both are constants so that the page's
// Content-Security-Policy can allow exactly them by hash and nothing else (no network, no
// inline event handlers even if a hostile name slipped through escaping).
import { createHash } from 'node:crypto';

export const REPORT_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--link:#0645ad;
--critical:#7a0f0f;--high:#b42318;--medium:#a15c07;--low:#1a7f37;--info:#57606a}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;
font-size:15px;line-height:1.45;color:var(--fg);background:var(--bg)}
body{margin:0}
a{color:var(--link)}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header.page{background:#0b3954;color:#fff;padding:18px 24px}
header.page h1{margin:0 0 4px;font-size:1.6rem}
header.page p{margin:2px 0;color:#dbe9f4}
nav.toc{background:var(--panel);border-bottom:1px solid var(--line);padding:8px 24px}
nav.toc ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
main{padding:8px 24px 40px;max-width:1400px}
h2{font-size:1.3rem;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:0 0 6px}
h4{font-size:1rem;margin:14px 0 6px}
.lead{font-size:1.05rem;margin:8px 0}
.cards{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--panel)}
.card .value{font-size:1.9rem;font-weight:700;margin:0;line-height:1.1}
.card .label{margin:4px 0 0;font-weight:600}
.card .hint{margin:4px 0 0;color:var(--muted);font-size:.85rem}
.card.warn{border-left:6px solid var(--high)}
.card.ok{border-left:6px solid var(--low)}
.card.na{border-left:6px solid var(--line)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;font-weight:700;color:#fff;
white-space:nowrap;vertical-align:middle}
.sev-critical,.lvl-critical{background:var(--critical)}
.sev-high,.lvl-high{background:var(--high)}
.sev-medium,.lvl-medium{background:var(--medium)}
.sev-low,.lvl-low{background:var(--low)}
.sev-info{background:var(--info)}
.tag{display:inline-block;padding:0 6px;border:1px solid var(--line);border-radius:4px;font-size:.8rem;margin-right:4px}
.tag.kev{border-color:var(--critical);color:var(--critical);font-weight:700}
.tag.eol{border-color:var(--high);color:var(--high);font-weight:700}
.tag.mixed{border-color:var(--high);color:var(--high);font-weight:700}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel)}
td.num,th.num{text-align:right}
td,li,dd{overflow-wrap:break-word}
th{white-space:nowrap}
dd,table.evidence td:nth-child(2),table.evidence td:nth-child(4),#inventory-table td:first-child{overflow-wrap:anywhere}
table.evidence td:nth-child(6){white-space:nowrap}
thead th button{all:unset;cursor:pointer;font-weight:700}
thead th button:focus-visible{outline:2px solid var(--link)}
thead th[aria-sort=ascending] button::after{content:" \\25B2"}
thead th[aria-sort=descending] button::after{content:" \\25BC"}
thead th[aria-sort=none] button::after{content:" \\2195";color:var(--muted)}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:8px 0}
.controls label{display:flex;flex-direction:column;font-weight:600;font-size:.9rem}
.controls input,.controls select{font:inherit;padding:4px 6px;min-width:240px}
.status{color:var(--muted)}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.charts figure{margin:0}
.charts figcaption{font-weight:600;margin-bottom:4px}
ol.fix{padding-left:1.6em}
ol.fix li{margin:0 0 10px}
ol.fix .fixit{margin:2px 0 0}
.device{border:1px solid var(--line);border-radius:8px;margin:12px 0;padding:0}
.device>summary{padding:10px 14px;cursor:pointer;background:var(--panel);border-radius:8px}
.device>summary h3{display:inline}
.device .body{padding:4px 14px 12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
ol.findings{padding-left:1.4em}
.finding{margin:0 0 14px}
.finding h5{font-size:1rem;margin:0 0 4px}
.finding p{margin:3px 0}
table.evidence{font-size:.85rem}
table.evidence td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.muted{color:var(--muted)}
footer{color:var(--muted);padding:12px 24px;border-top:1px solid var(--line)}
@media print{nav.toc,.controls{display:none}.device{break-inside:avoid}details.device:not([open])>.body{display:block}}
`;

export const REPORT_JS = `
(function () {
  'use strict';
  var more = document.getElementById('device-more');
  var block = document.getElementById('device-details');
  var held = null;
  // A large report keeps most devices' details as data (html.ts devicesSection): built on demand.
  function heldDevice(id) {
    var m = /^dev-(\\d+)$/.exec(id);
    if (!more || !block || !m) return null;
    if (held === null) held = (block.textContent || '').split('\\f');
    var i = Number(m[1]) - Number(block.getAttribute('data-first'));
    if (!(i >= 0 && i < held.length)) return null;
    var t = document.createElement('template');
    t.innerHTML = held[i].replace(/<\\\\([\\/!])/g, '<$1');
    var el = t.content.firstElementChild;
    if (!el || el.id !== id) return null;
    more.appendChild(el);
    return el;
  }
  function openTarget() {
    var id = location.hash.length > 1 ? location.hash.slice(1) : '';
    var el = id ? document.getElementById(id) : null;
    if (!el && id) {
      el = heldDevice(id);
      if (el) el.scrollIntoView();
    }
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  var table = document.getElementById('inventory-table');
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById('inventory-filter');
  var level = document.getElementById('inventory-level');
  var status = document.getElementById('inventory-status');
  rows.forEach(function (r, i) { r.setAttribute('data-pos', String(i)); });
  function key(row, col, numeric) {
    var c = row.cells[col];
    var v = c.getAttribute('data-sort');
    if (v === null) v = c.textContent || '';
    return numeric ? Number(v) : v.toLowerCase();
  }
  function sortBy(col, dir) {
    var numeric = heads[col].getAttribute('data-type') === 'number';
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, col, numeric);
      var y = key(b, col, numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (dir === 'descending') c = -c;
      return c || Number(a.getAttribute('data-pos')) - Number(b.getAttribute('data-pos'));
    });
    sorted.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h) { if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', 'none'); });
    heads[col].setAttribute('aria-sort', dir);
  }
  heads.forEach(function (th, col) {
    var b = th.querySelector('button');
    if (!b) return;
    b.addEventListener('click', function () {
      var cur = th.getAttribute('aria-sort');
      var first = th.getAttribute('data-type') === 'number' ? 'descending' : 'ascending';
      var dir = cur === 'ascending' ? 'descending' : cur === 'descending' ? 'ascending' : first;
      sortBy(col, dir);
    });
  });
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var lv = level.value;
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (q === '' || (r.textContent || '').toLowerCase().indexOf(q) !== -1) &&
        (lv === '' || r.getAttribute('data-level') === lv);
      r.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = shown + ' of ' + rows.length + ' devices shown';
  }
  filter.addEventListener('input', apply);
  level.addEventListener('change', apply);
})();
`;

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

/** The page's policy: its own style and script by hash, nothing else, no network at all. */
export const REPORT_CSP =
  `default-src 'none'; style-src 'sha256-${sha256(REPORT_CSS)}'; script-src 'sha256-${sha256(REPORT_JS)}'; ` +
  `img-src 'none'; base-uri 'none'; form-action 'none'`;
