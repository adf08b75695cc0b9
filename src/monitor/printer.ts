// Attacks on printers over their raw port (9100), as PRET and the mass printer hijacks of 2017–
// 2018 ran them: a printer takes PJL and ZPL from whoever connects, and the same commands that
// print read and write its file system, change its persistent settings and passwords, put text
// on its display, and reset it to factory defaults. Print drivers and print servers send job
// PJL (JOB, SET, ENTER LANGUAGE, EOJ) and status queries (INFO, USTATUS); none of what follows:
//  - a PJL file system path that climbs out of its volume ("0:\..\..\etc\passwd"), the directory
//    traversal PRET automates: high;
//  - a new PJL password or one turned off (DEFAULT PASSWORD=…), a ZPL password (^KP): high;
//  - PJL file system access (FSUPLOAD reads a file, FSDOWNLOAD/FSAPPEND write one, FSDELETE,
//    FSINIT, FSMKDIR, FSDIRLIST, FSQUERY: the file access HP LaserJet MFPs allowed by default,
//    CVE-2010-4107), persistent defaults (DEFAULT …), INITIALIZE (PJL's
//    factory reset), display messages (RDYMSG, OPMSG, STMSG: a defacement or a ransom note),
//    ZPL configuration (^JU save/reset, ^ND/^NS/^NC/^NN/^NP network settings, ~JR reset): medium.
// Printer management stations (HP Web Jetadmin, Zebra's tools) do some of this by design:
// `printerAdminAllow` lists them. One alert per (source, printer) episode; the source is the
// alert's device, the printer its peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { JetdirectSession } from '../analyzers/jetdirect/events.js';
import type { Severity } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { episodeEntry } from './window.js';

/** ZPL commands that change a label printer's stored or network configuration. */
const ZPL_CONFIG = /^[\^~](JU|ND|NS|NC|NN|NP|JR|KP)/;

/** What one raw-printing connection did beyond printing, and how bad the worst of it is. */
export function printerAbuse(s: JetdirectSession): { severity: Severity; items: string[] } | null {
  const items: string[] = [];
  let severity: Severity = 'medium';
  if (s.fs_traversal === true) {
    severity = 'high';
    items.push(`a PJL file system path out of the printer's volume (${s.fs_paths.filter((p) => /\.\./.test(p)).join(', ')}: directory traversal)`);
  }
  const pjlPassword = s.defaults.includes('PASSWORD');
  const zplPassword = s.zpl_commands.includes('^KP');
  if (pjlPassword || zplPassword) {
    severity = 'high';
    items.push(pjlPassword ? "a new PJL password (DEFAULT PASSWORD; 0 turns the printer's protection off)" : 'a new ZPL password (^KP)');
  }
  if (s.fs_commands.length > 0) items.push(`PJL file system access (${s.fs_commands.join(', ')}${s.fs_upload_bytes > 0 ? `; ${s.fs_upload_bytes} bytes of files read` : ''}${s.fs_download_bytes > 0 ? `; ${s.fs_download_bytes} bytes written` : ''})`);
  const defaults = s.defaults.filter((d) => d !== 'PASSWORD');
  if (defaults.length > 0) items.push(`persistent PJL defaults (${defaults.join(', ')})`);
  if (s.pjl_commands.includes('INITIALIZE')) items.push("PJL INITIALIZE (the printer's factory settings)");
  if (s.ready_message !== undefined) items.push(`a message put on the printer's display ("${s.ready_message}")`);
  const zpl = s.zpl_commands.filter((c) => ZPL_CONFIG.test(c) && c !== '^KP');
  if (zpl.length > 0) items.push(`ZPL configuration commands (${zpl.join(', ')})`);
  return items.length === 0 ? null : { severity, items };
}

/** Distinct abuses named in one alert's wording. */
const MAX_EPISODE_ITEMS = 8;

export class PrinterAttackDetector {
  private readonly allow: NetSet;
  /** `src|printer` → what its open episode did, for the wording (the alert's why is rewritten each time). */
  private readonly episodes = new Map<string, string[]>();

  constructor(private readonly ctx: DetectorContext) {
    this.allow = new NetSet(ctx.cfg.printerAdminAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || ev.type !== 'jetdirect.session') return;
    const abuse = printerAbuse(ev as JetdirectSession);
    if (abuse === null || this.allow.has(c.o0, c.o1, c.o2, c.o3)) return;
    const src = origAddr(c);
    const dst = respAddr(c);
    const key = `${src}|${dst}`;
    const items = episodeEntry(this.ctx.book.get('printer-attack', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, (): string[] => []);
    for (const i of abuse.items) if (!items.includes(i) && items.length < MAX_EPISODE_ITEMS) items.push(i);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const e = eventEvidence('printer-command', abuse.items.join('; '), 'jetdirect.session', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'printer-attack',
      key,
      device: this.ctx.deviceId(src, mac),
      peer: dst,
      ts: e.ts,
      severity: abuse.severity,
      why: `${src} sent the printer ${dst} (port ${c.rPort}) ${items.join('; ')}: commands print drivers and print servers never send`,
      evidence: [e],
    });
  }

  size(): number {
    return this.episodes.size;
  }
}
