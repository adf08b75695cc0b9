// Ransomware encrypting a file share, from smb_files (smb.file events): within a tumbling window
// (ransomwareWindowSecs), one client changes ransomwareFiles or more files on one server to one
// new extension —
//  - renaming them (SET_INFO FileRenameInformation: report.pdf → report.pdf.locked, or
//    report.pdf → report.crypt), the way most families mark what they encrypted in place, or
//  - writing an encrypted copy under the new name and deleting the original (report.pdf.locked
//    written, report.pdf deleted), the way others do —
// or leaves one ransom-note name (HOW_TO_DECRYPT.txt, README-RESTORE.html …) in three folders or
// more while changing files. Extensions that editors, installers and downloads use for their own
// renames (.tmp, .bak, .old, .part …) and ordinary file types (a conversion: scan.tif →
// scan.tiff) never count, and renames that keep the extension (scan-001.pdf →
// scan-001-left-knee.pdf) are ordinary filing. One alert per client and server,
// critical: the client is infected or an attacker works from it, and every minute it keeps its
// session the share loses more files. SMB2/3 and SMB1 (RENAME, DELETE) alike.
// The same events raise backup-deletion (high): one client deleting backupDeleteFiles backup files
// (Veeam, Acronis, Backup Exec …) on a server it never wrote a backup file to. Backup software
// whose retention deletes before it writes the new set (on the monitor's first night, before it
// was seen writing) is listed in backupAllow.
import type { AppEvent } from '../analyzers/types.js';
import type { Conn } from '../flow/conn.js';
import type { PacketMeta } from '../decode/packet.js';
import { formatMac } from '../decode/packet.js';
import type { Evidence } from '../report/model.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { windowEntry, type Windowed } from './window.js';
import { NetSet } from './net.js';

/** New extensions of ordinary software (temporary files, backups, partial downloads). */
const BENIGN_EXTENSIONS = new Set(['tmp', 'temp', 'bak', 'backup', 'old', 'orig', 'swp', 'swx', 'part', 'partial', 'crdownload', 'download', 'dwl', 'dwl2', 'lck', 'lock', 'log', 'new', 'sav', 'save']);
/**
 * Ordinary file types: renaming to one is converting or filing (scan.tif → scan.tiff,
 * report.txt → report.csv), not marking a file encrypted; ransomware's extensions are its own.
 */
const FILE_TYPES = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv', 'rtf', 'odt', 'ods', 'odp', 'xml', 'json', 'html', 'htm', 'jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'dcm', 'dicom', 'hl7', 'mp3', 'mp4', 'avi', 'mov', 'wav', 'msg', 'eml', 'ini', 'cfg', 'conf', 'dat', 'zip']);
/**
 * Files of backup software (Veeam full, incremental, reverse-incremental and metadata files,
 * Acronis, Backup Exec/NTBackup, Macrium Reflect, ShadowProtect, Ghost), and anything under a
 * Windows Server Backup folder: what ransomware operators delete before they encrypt.
 */
const BACKUP_EXTENSIONS = new Set(['vbk', 'vib', 'vrb', 'vbm', 'vsb', 'tib', 'tibx', 'bkf', 'mrimg', 'mrbak', 'spf', 'spi', 'gho']);
const BACKUP_FOLDER = /(^|\\)windowsimagebackup\\/i;

/** Whether a file name is a backup's. */
export function isBackupFile(name: string): boolean {
  return BACKUP_EXTENSIONS.has(extensionOf(name)) || BACKUP_FOLDER.test(name);
}

/** A ransom note's name: what it tells the victim to do, as a text, web or shortcut file. */
const NOTE = /(decrypt|restore|recover|ransom|unlock|how[_ -]?to|instructions?|read[_ -]?me|help[_ -]?(your|me|files?))[^\\/]*\.(txt|html?|hta|rtf|url)$/i;
/** Names and folders remembered per window, and new extensions counted. */
const MAX_NAMES = 4096;
const MAX_EXTENSIONS = 64;
const MAX_FOLDERS = 64;
/** Client and server pairs remembered as writing backups. */
const MAX_BACKUP_WRITERS = 4096;

interface Window extends Windowed {
  last: number;
  share: string;
  /** Files changed to each new extension (renamed, or copied and the original deleted). */
  byExt: Map<string, number>;
  /** Names written this window by the name without their extension (to pair a copy with its original), and names deleted. */
  written: Map<string, string>;
  deleted: Set<string>;
  /** Ransom-note names (lower case) → the name as written and the folders it was written to. */
  notes: Map<string, { name: string; dirs: Set<string> }>;
  changed: number;
  examples: string[];
  evidence: Evidence[];
  raised: boolean;
  /** Backup files deleted this window, examples and evidence, and whether that alert was raised. */
  backups: number;
  backupExamples: string[];
  backupEvidence: Evidence[];
  backupRaised: boolean;
}

/** The lower-case extension of a file name, '' when it has none. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('\\') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 || dot === base.length - 1 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The extension a rename gave a file, when it is a new one; null for ordinary renames. */
export function newExtension(prev: string, next: string): string | null {
  const ext = extensionOf(next);
  if (ext === '' || ext.length > 24 || BENIGN_EXTENSIONS.has(ext) || FILE_TYPES.has(ext) || ext === extensionOf(prev)) return null;
  // An appended extension (report.pdf.locked) or a replaced one (report.pdf → report.crypt).
  const stem = (n: string) => {
    const d = n.lastIndexOf('.');
    return d > n.lastIndexOf('\\') ? n.slice(0, d) : n;
  };
  const p = prev.toLowerCase();
  const n = next.toLowerCase();
  return n === `${p}.${ext}` || stem(n) === stem(p) || n.startsWith(`${p}.`) ? ext : null;
}

export class RansomwareDetector {
  private readonly windows = new Map<string, Window>();
  /**
   * Client and server pairs where the client wrote backup files: the backup software itself,
   * whose retention deletes its old files. Kept for the run (bounded), not per window: retention
   * deletes what the same server wrote days before.
   */
  private readonly backupWriters = new Set<string>();
  /** Backup and media servers (backupAllow): their deletions are their own retention, even before they write. */
  private readonly backupAllow: NetSet;
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {
    this.backupAllow = new NetSet(ctx.cfg.backupAllow);
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'smb.file' || c === null) return;
    const action = ev.action;
    if (action !== 'SMB::FILE_RENAME' && action !== 'SMB::FILE_DELETE' && action !== 'SMB::FILE_WRITE') return;
    const name = typeof ev.name === 'string' ? ev.name : '';
    if (name === '') return;
    const client = origAddr(c);
    const server = respAddr(c);
    const pair = `${client}|${server}`;
    const w = this.window(pair, m.ts, typeof ev.path === 'string' ? ev.path : '');
    w.last = m.ts;
    let ext: string | null = null;
    let what = '';
    if (action === 'SMB::FILE_RENAME') {
      const prev = typeof ev.prev_name === 'string' ? ev.prev_name : '';
      ext = newExtension(prev, name);
      what = `${prev} renamed to ${name}`;
    } else if (action === 'SMB::FILE_DELETE') {
      if (isBackupFile(name)) this.backupDeleted(w, name, client, server, pair, ev, c, m);
      // The original of a copy written before it (report.pdf after report.pdf.locked).
      const key = name.toLowerCase();
      if (w.deleted.size < MAX_NAMES) w.deleted.add(key);
      const e = w.written.get(key);
      if (e !== undefined && e !== extensionOf(key)) ext = e;
      what = `${name} deleted after an encrypted copy was written`;
    } else {
      const key = name.toLowerCase();
      if (isBackupFile(name) && !this.backupWriters.has(pair) && this.backupWriters.size < MAX_BACKUP_WRITERS) this.backupWriters.add(pair);
      if (NOTE.test(name)) {
        this.note(w, name, ev, c, m);
        this.judge(w, client, server, c, 0);
      }
      // A copy "<original>.<ext>": remembered by its original's name, paired with the original's
      // deletion whichever comes first.
      const e = extensionOf(name);
      if (e !== '' && !BENIGN_EXTENSIONS.has(e) && !FILE_TYPES.has(e)) {
        const orig = key.slice(0, key.length - e.length - 1);
        if (extensionOf(orig) !== e) {
          if (w.written.size < MAX_NAMES) w.written.set(orig, e);
          if (w.deleted.has(orig)) {
            ext = e;
            what = `${name} written, ${name.slice(0, orig.length)} deleted`;
          }
        }
      }
    }
    if (ext === null) return;
    w.changed++;
    if (w.byExt.has(ext) || w.byExt.size < MAX_EXTENSIONS) w.byExt.set(ext, (w.byExt.get(ext) ?? 0) + 1);
    if (w.examples.length < 3) w.examples.push(what);
    if (w.evidence.length < this.ctx.cfg.maxEvidence) w.evidence.push(eventEvidence('file-encrypted', what, action === 'SMB::FILE_RENAME' ? 'smb_files.prev_name' : 'smb_files.action', ev, c, m, eventFile(this.ctx, ev, c, m)));
    this.judge(w, client, server, c, 1);
  }

  /**
   * A backup file deleted: counted per window, unless this client writes backups to the server
   * (the backup software's retention); backupDeleteFiles of them raise backup-deletion (high).
   */
  private backupDeleted(w: Window, name: string, client: string, server: string, pair: string, ev: AppEvent, c: Conn, m: PacketMeta): void {
    const cfg = this.ctx.cfg;
    if (this.backupWriters.has(pair) || this.backupAllow.has(c.o0, c.o1, c.o2, c.o3)) return;
    w.backups++;
    if (w.backupExamples.length < 3) w.backupExamples.push(name);
    if (w.backupEvidence.length < cfg.maxEvidence) w.backupEvidence.push(eventEvidence('backup-deleted', `${name} deleted`, 'smb_files.action', ev, c, m, eventFile(this.ctx, ev, c, m)));
    if (w.backups < cfg.backupDeleteFiles) return;
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const share = w.share !== '' ? ` on ${w.share}` : '';
    this.ctx.book.observe({
      rule: 'backup-deletion',
      key: pair,
      device: this.ctx.deviceId(client, mac),
      peer: server,
      ts: w.first,
      ...(w.backupRaised ? { inc: 1 } : { count: w.backups }),
      why: `${client} deleted ${w.backups} backup files${share} (${server}) in ${Math.max(0, w.last - w.first).toFixed(1)} s — ${w.backupExamples.join(', ')} — and wrote none there: backups destroyed from a host other than the one that makes them, as ransomware operators do before they encrypt (ATT&CK T1490)`,
      evidence: w.backupRaised ? [] : w.backupEvidence,
    });
    if (!w.backupRaised) {
      w.backupRaised = true;
      w.backupEvidence = [];
    }
  }

  private note(w: Window, name: string, ev: AppEvent, c: Conn, m: PacketMeta): void {
    const cut = name.lastIndexOf('\\');
    const base = name.slice(cut + 1).toLowerCase();
    const folder = cut < 0 ? '' : name.slice(0, cut).toLowerCase();
    let note = w.notes.get(base);
    if (note === undefined) {
      if (w.notes.size >= MAX_FOLDERS) return;
      note = { name: name.slice(cut + 1), dirs: new Set() };
      w.notes.set(base, note);
      if (w.evidence.length < this.ctx.cfg.maxEvidence) w.evidence.push(eventEvidence('ransom-note', `${name} written`, 'smb_files.name', ev, c, m, eventFile(this.ctx, ev, c, m)));
    }
    if (note.dirs.size < MAX_FOLDERS) note.dirs.add(folder);
  }

  /** Raises (or adds `inc` files to) the alert once the window holds enough. */
  private judge(w: Window, client: string, server: string, c: Conn, inc: number): void {
    const cfg = this.ctx.cfg;
    let top = '';
    let n = 0;
    for (const [e, k] of w.byExt) if (k > n || (k === n && e < top)) [top, n] = [e, k];
    let note: { name: string; dirs: Set<string> } | null = null;
    for (const x of w.notes.values()) if (x.dirs.size >= 3 && (note === null || x.dirs.size > note.dirs.size)) note = x;
    const byNote = note !== null && w.changed >= 5;
    if (n < cfg.ransomwareFiles && !byNote) return;
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const key = `${client}|${server}`;
    const open = this.ctx.book.get('ransomware', key) !== undefined;
    const span = Math.max(0, w.last - w.first);
    const share = w.share !== '' ? ` on ${w.share}` : '';
    const notes = note !== null ? ` and left ${JSON.stringify(note.name)} in ${note.dirs.size} folders` : '';
    this.ctx.book.observe({
      rule: 'ransomware',
      key,
      device: this.ctx.deviceId(client, mac),
      peer: server,
      ts: w.first,
      ...(w.raised ? { inc } : open ? { inc: w.changed } : { count: w.changed }),
      why: `${client} changed ${w.changed} files${share} (${server}) in ${span.toFixed(1)} s${n > 0 ? `, ${n} of them to *.${top}` : ''}${notes} — ${w.examples.join('; ')}: ransomware encrypting the share from this host`,
      evidence: w.raised ? [] : w.evidence,
    });
    if (!w.raised) {
      w.raised = true;
      w.evidence = [];
    }
  }

  private window(key: string, ts: number, share: string): Window {
    const r = windowEntry(this.windows, key, ts, this.ctx.cfg.ransomwareWindowSecs, this.ctx.cfg.maxSources, () => ({ first: ts, last: ts, share, byExt: new Map(), written: new Map(), deleted: new Set<string>(), notes: new Map(), changed: 0, examples: [], evidence: [], raised: false, backups: 0, backupExamples: [], backupEvidence: [], backupRaised: false }));
    if (r.evicted) this.evicted++;
    if (r.entry.share === '' && share !== '') r.entry.share = share;
    return r.entry;
  }

  /** Drops windows that ended (housekeeping, network time `now`). */
  expire(now: number): void {
    for (const [k, w] of this.windows) if (now - w.first > this.ctx.cfg.ransomwareWindowSecs) this.windows.delete(k);
  }

  size(): number {
    return this.windows.size;
  }
}
