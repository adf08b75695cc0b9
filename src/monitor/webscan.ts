// Web vulnerability scanning, a `scan` of its own kind, from HTTP transactions:
//  - a scanner that names itself in its user agent (Nmap's NSE scripts, Nikto, sqlmap, gobuster,
//    ffuf, Wfuzz, WPScan, Nuclei, WhatWeb, DirBuster, masscan, ZGrab, OpenVAS, Nessus, Acunetix,
//    Netsparker, Arachni, w3af, commix, THC Hydra), as Suricata's ET SCAN rules recognise them;
//  - forced browsing under any user agent: one client asking one server for webNotFoundThreshold
//    different paths it does not have (404) within scanIntervalSecs (dirb, tools that pose as a
//    browser). A browser asks for the few resources a page names; a page with fifty missing
//    images is rare, and is itself worth fixing.
// One alert per client and server, naming the tools, counting the requests; the device is the
// client. A hospital's own vulnerability scanner belongs in scanAllow.
import type { Evidence } from '../report/model.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { raiseSeverity, RULES } from './rules.js';
import { isMedIot } from './lateral.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { windowEntry, type Windowed } from './window.js';

/** User-agent marks of scanning tools, and the name the alert gives each. */
const TOOLS: readonly [RegExp, string][] = [
  [/Nmap Scripting Engine/i, 'Nmap NSE'],
  [/Nikto/i, 'Nikto'],
  [/sqlmap/i, 'sqlmap'],
  [/gobuster/i, 'gobuster'],
  [/Fuzz Faster U Fool/i, 'ffuf'],
  [/Wfuzz/i, 'Wfuzz'],
  [/WPScan/i, 'WPScan'],
  [/nuclei/i, 'Nuclei'],
  [/WhatWeb/i, 'WhatWeb'],
  [/DirBuster/i, 'DirBuster'],
  [/masscan/i, 'masscan'],
  [/zgrab/i, 'ZGrab'],
  [/OpenVAS|Greenbone/i, 'OpenVAS'],
  [/Nessus/i, 'Nessus'],
  [/Acunetix/i, 'Acunetix'],
  [/Netsparker|Invicti/i, 'Netsparker'],
  [/Arachni/i, 'Arachni'],
  [/w3af/i, 'w3af'],
  [/commix/i, 'commix'],
  [/\(Hydra\)/, 'THC Hydra'],
];
/** One test per transaction: the union of the marks. */
const ANY_TOOL = new RegExp(TOOLS.map(([re]) => re.source).join('|'), 'i');
/** Paths remembered per pair and window (past the threshold they are only counted). */
const SLACK = 1;
/** Tools named per alert. */
const MAX_TOOLS = 8;

export function scannerTool(userAgent: string): string | null {
  if (!ANY_TOOL.test(userAgent)) return null;
  for (const [re, name] of TOOLS) if (re.test(userAgent)) return name;
  return null;
}

interface Pair extends Windowed {
  notFound: Set<string>;
  tools: string[];
  requests: number;
  evidence: Evidence[];
  raised: boolean;
}

export class WebScanDetector {
  private readonly pairs = new Map<string, Pair>();
  private readonly allow: NetSet;
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.scanAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'http.transaction' || c === null || ev.proxied === true) return;
    const ua = typeof ev.user_agent === 'string' ? ev.user_agent : '';
    const tool = ua !== '' ? scannerTool(ua) : null;
    const notFound = ev.status_code === 404 && typeof ev.uri === 'string';
    if (tool === null && !notFound && this.pairs.size === 0) return;
    const client = origAddr(c);
    const server = respAddr(c);
    const key = `${client}|${server}|${c.rPort}`;
    // Most transactions are neither: nothing is kept for them.
    if (tool === null && !notFound && !this.pairs.has(key)) return;
    if (this.allow.hasAddr(client)) return;
    const cfg = this.ctx.cfg;
    const w = windowEntry(this.pairs, key, m.ts, cfg.scanIntervalSecs, cfg.maxSources, () => ({ first: m.ts, notFound: new Set<string>(), tools: [], requests: 0, evidence: [], raised: false }));
    if (w.evicted) this.evicted++;
    const p = w.entry;
    p.requests++;
    let news = false;
    if (tool !== null && !p.tools.includes(tool) && p.tools.length < MAX_TOOLS) {
      p.tools.push(tool);
      news = true;
      if (p.evidence.length < cfg.maxEvidence) p.evidence.push(eventEvidence('scanner-user-agent', `${tool}: ${ev.method ?? ''} ${ev.uri ?? ''} with User-Agent ${JSON.stringify(ua.slice(0, 200))}`, 'http.user_agent', ev, c, m, eventFile(this.ctx, ev, c, m)));
    }
    if (notFound && p.notFound.size < cfg.webNotFoundThreshold + SLACK && !p.notFound.has(ev.uri as string)) {
      p.notFound.add(ev.uri as string);
      if (p.notFound.size <= 3 && p.evidence.length < cfg.maxEvidence) p.evidence.push(eventEvidence('not-found', `${ev.method ?? ''} ${String(ev.uri).slice(0, 200)} -> 404`, 'http.status_code', ev, c, m, eventFile(this.ctx, ev, c, m)));
      if (p.notFound.size === cfg.webNotFoundThreshold) news = true;
    }
    const due = p.tools.length > 0 || p.notFound.size >= cfg.webNotFoundThreshold;
    if (!due) return;
    if (!p.raised || news) {
      this.raise(c, client, server, p, key, p.raised ? { inc: 1 } : { count: p.requests });
      p.raised = true;
      p.evidence = [];
    } else this.raise(c, client, server, p, key, { inc: 1 });
  }

  expire(now: number): void {
    for (const [k, p] of this.pairs) if (now - p.first > this.ctx.cfg.scanIntervalSecs) this.pairs.delete(k);
  }

  size(): number {
    return this.pairs.size;
  }

  private raise(c: Conn, client: string, server: string, p: Pair, key: string, n: { inc?: number; count?: number }): void {
    const ctx = this.ctx;
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const cat = ctx.category(client, mac);
    const medIot = isMedIot(cat);
    const who = medIot ? `${cat} device ${client}` : client;
    const alertKey = `web|${key}`;
    const count = n.count ?? (ctx.book.get('scan', alertKey)?.count ?? 0) + (n.inc ?? 1);
    const cfg = ctx.cfg;
    const where = `${server}:${c.rPort}`;
    const nf = `${p.notFound.size > cfg.webNotFoundThreshold ? 'more than ' : ''}${cfg.webNotFoundThreshold} paths it does not have (HTTP 404: forced browsing; threshold ${cfg.webNotFoundThreshold} in ${cfg.scanIntervalSecs} s)`;
    const requests = `${count} HTTP request${count === 1 ? '' : 's'}`;
    const why =
      p.tools.length > 0
        ? `${who} ran the web scanner${p.tools.length > 1 ? 's' : ''} ${p.tools.join(', ')} against ${where} (${p.tools.length > 1 ? 'their user agents say so' : 'its user agent says so'}): ${requests}${p.notFound.size >= cfg.webNotFoundThreshold ? `, asking for ${nf}` : ''}`
        : `${who} asked ${where} for ${nf}: ${requests}`;
    ctx.book.observe({
      rule: 'scan',
      key: alertKey,
      device: ctx.deviceId(client, mac),
      peer: server,
      ts: p.first,
      ...n,
      severity: medIot ? raiseSeverity(RULES.scan.severity) : RULES.scan.severity,
      why,
      evidence: p.evidence,
    });
  }
}
