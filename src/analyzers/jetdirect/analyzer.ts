// Per-flow raw-printing state. The client's stream alternates between PJL, read line by line,
// and documents in a page description language, which run to the next UEL sequence (or the end
// of the connection): their bytes are counted and only what identifies the job is read — a
// PostScript header's %%Creator and %%For, a ZPL stream's command codes (labels and fields
// counted, field data never read). PJL file downloads (FSDOWNLOAD, FSAPPEND SIZE=n) are passed
// over by their size. The printer's stream is PJL answers (the echoed command, value lines, a
// form feed; FSUPLOAD's file bytes passed over) and ZPL's STX…ETX frames. Every buffer and list
// is bounded. One jetdirect.session event when the connection ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { credentialEvent } from '../textproto.js';
import { escapeBytes } from '../l2text.js';
import type { JetdirectSession } from './events.js';
import {
  MAX_LINE,
  climbsOut,
  dscComment,
  firstWord,
  isPjl,
  isUel,
  parsePjl,
  parseZplIdentity,
  pjlLanguage,
  pjlOption,
  skipLead,
  sniffLanguage,
  UEL,
} from './parse.js';

const enum Mode {
  Line,
  Document,
  /** Passing over a counted number of bytes (a PJL file download, an uploaded file's content). */
  Skip,
  /** The server's side inside a ZPL STX…ETX frame. */
  Frame,
}

const MAX_LIST = 16;
const MAX_PATHS = 8;
const MAX_TEXT = 128;
const MAX_FRAME = 128;
/** PostScript header lines read for DSC comments (a header is a few dozen lines). */
const MAX_PS_LINES = 64;
const MAX_PS_LINE = 256;
/** Bytes of a document kept to tell its language by (after leading white space). */
const SNIFF = 16;

const STX = 0x02;
const ETX = 0x03;
const LF = 0x0a;
const FF = 0x0c;
const NEWLINE = Uint8Array.of(LF);

/** ZPL command codes worth naming: host queries and configuration (others are formatting). */
const ZPL_NAMED = new Set(['HI', 'HS', 'HQ', 'HH', 'HM', 'HW', 'HZ', 'HD', 'JU', 'KP', 'ND', 'NS', 'NC', 'NN', 'NP', 'JR', 'WC', 'JN']);

function addOnce(list: string[], v: string, max = MAX_LIST): void {
  if (list.length < max && !list.includes(v)) list.push(v);
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}

export class JetdirectAnalyzer implements FlowAnalyzer {
  private readonly s: JetdirectSession = {
    type: 'jetdirect.session',
    tsSec: 0,
    tsNsec: 0,
    packet: 0,
    languages: [],
    documents: 0,
    document_bytes: 0,
    jobs: 0,
    pjl_commands: [],
    info_queries: [],
    defaults: [],
    fs_commands: [],
    fs_paths: [],
    fs_download_bytes: 0,
    fs_upload_bytes: 0,
    fs_entries: 0,
    zpl_labels: 0,
    zpl_fields: 0,
    zpl_commands: [],
    reply_bytes: 0,
  };
  private confirmed = false;

  // The client's side.
  private cMode = Mode.Line;
  private readonly cLine = new Uint8Array(MAX_LINE);
  private cLen = 0;
  private cSkip = 0;
  /** UEL bytes matched so far inside a document. */
  private uel = 0;
  /** The document's language: announced by ENTER LANGUAGE, then told by its first bytes. */
  private docLang: string | undefined;
  private readonly sniff = new Uint8Array(SNIFF);
  private sniffLen = 0;
  private sniffed = false;
  private psHeader = false;
  private psLines = 0;
  private readonly psLine = new Uint8Array(MAX_PS_LINE);
  private psLen = 0;
  /** ZPL command reader: 0 outside a command, 1 after ^ or ~, 2 after its first letter, 3 after a second (for ^JU's option). */
  private zState = 0;
  private zPrefix = '';
  private zCode = '';

  // The printer's side.
  private sMode = Mode.Line;
  private readonly sLine = new Uint8Array(MAX_LINE);
  private sLen = 0;
  private sSkip = 0;
  /** The PJL answer being read ("INFO ID", "INFO STATUS", "USTATUS", "FSDIRLIST" …); '' between answers. */
  private answer = '';
  private answerLines = 0;
  private readonly frame = new Uint8Array(MAX_FRAME);
  private frameLen = 0;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (isOrig) this.client(ctx, buf, off, off + len);
    else this.server(ctx, buf, off, off + len);
  }

  gap(ctx: AnalyzerContext, isOrig: boolean): void {
    void ctx;
    if (isOrig) {
      // Lost bytes inside a document lose only document bytes; a PJL line or a counted skip is
      // lost as a whole: start again at the next line.
      this.uel = 0;
      this.zState = 0;
      this.psHeader = false;
      if (this.cMode !== Mode.Document) {
        this.cMode = Mode.Line;
        this.cLen = 0;
      }
    } else {
      this.sMode = Mode.Line;
      this.sLen = 0;
      this.answer = '';
    }
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    confirmSummary(ctx, this.s, 'jetdirect');
  }

  // --- the client: PJL lines and documents -------------------------------------------------

  private client(ctx: AnalyzerContext, b: Uint8Array, p: number, end: number): void {
    while (p < end) {
      if (this.cMode === Mode.Skip) {
        const n = Math.min(this.cSkip, end - p);
        this.cSkip -= n;
        p += n;
        if (this.cSkip === 0) this.cMode = Mode.Line;
        continue;
      }
      if (this.cMode === Mode.Document) {
        p = this.document(ctx, b, p, end);
        continue;
      }
      let q = p;
      while (q < end && b[q] !== LF) q++;
      const n = q - p;
      if (this.cLen + n > MAX_LINE) {
        // No line end in a line's room: binary data, a document that no ENTER LANGUAGE announced.
        const lead = this.cLen;
        this.cLen = 0;
        this.startDocument(ctx, undefined);
        if (lead > 0) this.document(ctx, this.cLine, skipLead(this.cLine, 0, lead), lead);
        continue;
      }
      this.cLine.set(b.subarray(p, q), this.cLen);
      this.cLen += n;
      if (q === end) return;
      p = q + 1;
      const len = this.cLen;
      this.cLen = 0;
      this.line(ctx, len);
    }
  }

  private line(ctx: AnalyzerContext, n: number): void {
    const l = this.cLine;
    const p = skipLead(l, 0, n);
    if (p > 0 && (isUel(l, 0, n) || isUel(l, 2, n))) this.confirm(ctx);
    if (p === n) return;
    if (isPjl(l, p, n)) {
      this.confirm(ctx);
      this.pjl(ctx, p, n);
      return;
    }
    // Anything else starts a document: this line is its first.
    this.startDocument(ctx, undefined);
    const stop = this.document(ctx, l, p, n);
    if (this.cMode === Mode.Document) this.document(ctx, NEWLINE, 0, 1);
    else if (stop < n) {
      // A UEL inside the line ended the document: what follows it is PJL again.
      l.copyWithin(0, stop, n);
      this.line(ctx, n - stop);
    }
  }

  private pjl(ctx: AnalyzerContext, p: number, n: number): void {
    const { verb, rest } = parsePjl(this.cLine, p, n);
    if (verb === '') return;
    const s = this.s;
    addOnce(s.pjl_commands, verb, 32);
    switch (verb) {
      case 'JOB':
        s.jobs++;
        if (pjlOption(rest, 'NAME') !== undefined) s.named = true;
        this.password(ctx, pjlOption(rest, 'PASSWORD'));
        break;
      case 'ENTER': {
        const lang = pjlLanguage(pjlOption(rest, 'LANGUAGE') ?? '');
        addOnce(s.languages, lang);
        this.startDocument(ctx, lang);
        break;
      }
      case 'SET':
      case 'DEFAULT': {
        // [LPARM:<language> | IPARM:<port>] variable = value
        const m = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("([^"]*)"?|\S*)/.exec(rest);
        if (m === null) break;
        const name = m[1].toUpperCase();
        const value = m[3] ?? m[2];
        if (verb === 'DEFAULT') addOnce(s.defaults, name);
        if (name === 'USERNAME' && value !== '' && s.user === undefined) s.user = clip(value);
        else if (name === 'JOBNAME') s.named = true;
        else if (name === 'PASSWORD') this.password(ctx, value);
        break;
      }
      case 'INFO':
        addOnce(s.info_queries, `INFO ${firstWord(rest)}`.trim());
        break;
      case 'INQUIRE':
      case 'DINQUIRE':
        addOnce(s.info_queries, `${verb} ${firstWord(rest.replace(/^[A-Z]PARM:\S+\s+/i, ''))}`.trim());
        break;
      case 'USTATUS':
        addOnce(s.info_queries, `USTATUS ${firstWord(rest)}`.trim());
        break;
      case 'RDYMSG':
      case 'OPMSG':
      case 'STMSG': {
        const d = pjlOption(rest, 'DISPLAY');
        if (d !== undefined) s.ready_message = clip(d);
        break;
      }
      default:
        if (verb.startsWith('FS')) this.fileSystem(ctx, verb, rest);
    }
  }

  private password(ctx: AnalyzerContext, value: string | undefined): void {
    if (value === undefined) return;
    this.s.has_password = true;
    // PASSWORD=0 is PJL's "no password" (it turns protection off): no secret crossed.
    if (value.trim() !== '0') ctx.emit(credentialEvent('pjl', this.s.user ?? '', value));
  }

  private fileSystem(ctx: AnalyzerContext, verb: string, rest: string): void {
    const s = this.s;
    addOnce(s.fs_commands, verb);
    const name = pjlOption(rest, 'NAME');
    if (name !== undefined) {
      if (s.fs_paths.length < MAX_PATHS) addOnce(s.fs_paths, clip(name), MAX_PATHS);
      if (climbsOut(name)) s.fs_traversal = true;
    }
    if (verb === 'FSDOWNLOAD' || verb === 'FSAPPEND') {
      const size = pjlOption(rest, 'SIZE');
      const n = size !== undefined && /^\d{1,12}$/.test(size) ? Number(size) : -1;
      if (n < 0) {
        ctx.weird('jetdirect.bad_fs_size');
        return;
      }
      s.fs_download_bytes += n;
      if (n > 0) {
        this.cSkip = n;
        this.cMode = Mode.Skip;
      }
    }
  }

  private startDocument(ctx: AnalyzerContext, lang: string | undefined): void {
    this.cMode = Mode.Document;
    this.s.documents++;
    this.docLang = lang;
    this.sniffLen = 0;
    this.sniffed = false;
    this.uel = 0;
    this.psHeader = false;
    this.zState = 0;
    void ctx;
  }

  /** Reads document bytes up to the next UEL; returns where it stopped. */
  private document(ctx: AnalyzerContext, b: Uint8Array, p: number, end: number): number {
    let stop = end;
    let back = false;
    // The UEL's ESC: continue a match begun in an earlier chunk, else look for the next ESC.
    let i = p;
    if (this.uel > 0) {
      while (i < end && this.uel < UEL.length && b[i] === UEL[this.uel]) {
        this.uel++;
        i++;
      }
      if (this.uel === UEL.length) {
        stop = i;
        back = true;
      } else if (i < end) this.uel = 0;
      else i = end;
    }
    while (!back && i < end) {
      const e = b.indexOf(0x1b, i);
      if (e < 0 || e >= end) break;
      let k = 1;
      while (k < UEL.length && e + k < end && b[e + k] === UEL[k]) k++;
      if (k === UEL.length) {
        stop = e + k;
        back = true;
      } else if (e + k === end) {
        this.uel = k;
        break;
      }
      i = e + 1;
    }
    this.s.document_bytes += stop - p;
    if (!this.sniffed) this.sniffDoc(ctx, b, p, stop);
    const lang = this.docLang;
    if (lang === 'postscript' && this.psHeader) this.postscript(b, p, stop);
    else if (lang === 'zpl') this.zpl(b, p, stop);
    if (back) {
      this.cMode = Mode.Line;
      this.uel = 0;
      this.docLang = undefined;
    }
    return stop;
  }

  /** Tells the document's language from its first bytes once they say it (or SNIFF bytes say nothing). */
  private sniffDoc(ctx: AnalyzerContext, b: Uint8Array, p: number, end: number): void {
    let i = p;
    // Leading white space and Ctrl-D tell nothing.
    if (this.sniffLen === 0) while (i < end && (b[i] === 0x20 || b[i] === 0x0d || b[i] === LF || b[i] === 0x09 || b[i] === 0x04)) i++;
    const n = Math.min(SNIFF - this.sniffLen, end - i);
    if (n > 0) this.sniff.set(b.subarray(i, i + n), this.sniffLen);
    this.sniffLen += Math.max(0, n);
    const seen = sniffLanguage(this.sniff, 0, this.sniffLen);
    if (seen === undefined && this.sniffLen < SNIFF) return;
    this.decide(ctx, seen);
  }

  private decide(ctx: AnalyzerContext, seen: string | undefined): void {
    this.sniffed = true;
    if (seen !== undefined) this.confirm(ctx);
    // A language ENTER LANGUAGE announced stands (PCL3GUI's data starts like PCL's).
    if (this.docLang === undefined) {
      this.docLang = seen ?? 'unknown';
      addOnce(this.s.languages, this.docLang);
    }
    if (this.docLang === 'postscript') {
      this.psHeader = true;
      this.psLines = 0;
      this.psLen = 0;
    }
  }

  /** PostScript's DSC header: %%Creator, %%For, %%Title up to %%EndComments or the first non-comment line. */
  private postscript(b: Uint8Array, p: number, end: number): void {
    for (let i = p; i < end && this.psHeader; i++) {
      const c = b[i];
      if (c !== LF && c !== 0x0d) {
        if (this.psLen < MAX_PS_LINE) this.psLine[this.psLen++] = c;
        continue;
      }
      if (this.psLen === 0) continue;
      const line = Buffer.from(this.psLine.buffer, 0, this.psLen).toString('latin1');
      this.psLen = 0;
      if (++this.psLines > MAX_PS_LINES || !line.startsWith('%') || line.startsWith('%%EndComments')) {
        this.psHeader = false;
        break;
      }
      const d = dscComment(line);
      if (d === null || d.value === '') continue;
      if (d.key === 'Creator' && this.s.creator === undefined) this.s.creator = clip(d.value);
      else if (d.key === 'For' && this.s.user === undefined) this.s.user = clip(d.value);
      else if (d.key === 'Title') this.s.named = true;
    }
  }

  /** ZPL: counts ^XA formats and ^FD/^FV fields, names host queries and configuration commands. */
  private zpl(b: Uint8Array, p: number, end: number): void {
    const s = this.s;
    for (let i = p; i < end; i++) {
      const c = b[i];
      if (this.zState === 0) {
        if (c === 0x5e || c === 0x7e) {
          this.zState = 1;
          this.zPrefix = c === 0x5e ? '^' : '~';
        }
        continue;
      }
      const u = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
      const letter = (u >= 0x41 && u <= 0x5a) || (u >= 0x30 && u <= 0x39);
      if (this.zState === 1) {
        if (c === 0x5e || c === 0x7e) {
          this.zPrefix = c === 0x5e ? '^' : '~';
          continue;
        }
        if (!letter) {
          this.zState = 0;
          continue;
        }
        this.zCode = String.fromCharCode(u);
        this.zState = 2;
        continue;
      }
      if (this.zState === 2) {
        if (!letter) {
          this.zState = c === 0x5e || c === 0x7e ? 1 : 0;
          if (this.zState === 1) this.zPrefix = c === 0x5e ? '^' : '~';
          continue;
        }
        const code = this.zCode + String.fromCharCode(u);
        this.zCode = code;
        if (code === 'XA') s.zpl_labels++;
        else if (code === 'FD' || code === 'FV') s.zpl_fields++;
        if (code === 'JU') {
          this.zState = 3;
          continue;
        }
        if (ZPL_NAMED.has(code)) {
          addOnce(s.zpl_commands, this.zPrefix + code);
          if (code === 'KP') s.has_password = true;
        }
        this.zState = 0;
        continue;
      }
      // ^JU's option letter: F (factory defaults), N (network), R (recall), S (save), A (all).
      addOnce(s.zpl_commands, this.zPrefix + 'JU' + (letter ? String.fromCharCode(u) : ''));
      this.zState = c === 0x5e || c === 0x7e ? 1 : 0;
      if (this.zState === 1) this.zPrefix = c === 0x5e ? '^' : '~';
    }
  }

  // --- the printer: PJL answers and ZPL frames ---------------------------------------------

  private server(ctx: AnalyzerContext, b: Uint8Array, p: number, end: number): void {
    this.s.reply_bytes += end - p;
    while (p < end) {
      if (this.sMode === Mode.Skip) {
        const n = Math.min(this.sSkip, end - p);
        this.sSkip -= n;
        p += n;
        if (this.sSkip === 0) this.sMode = Mode.Line;
        continue;
      }
      if (this.sMode === Mode.Frame) {
        const c = b[p++];
        if (c === ETX) {
          this.zplFrame(ctx);
          this.sMode = Mode.Line;
        } else if (this.frameLen < MAX_FRAME) this.frame[this.frameLen++] = c;
        else this.sMode = Mode.Line;
        continue;
      }
      if (this.sLen === 0 && b[p] === STX) {
        this.sMode = Mode.Frame;
        this.frameLen = 0;
        p++;
        continue;
      }
      let q = p;
      while (q < end && b[q] !== LF && b[q] !== FF) q++;
      const n = Math.min(q - p, MAX_LINE - this.sLen);
      if (n > 0) this.sLine.set(b.subarray(p, p + n), this.sLen);
      this.sLen += n;
      if (q === end) return;
      const ff = b[q] === FF;
      p = q + 1;
      const len = this.sLen;
      this.sLen = 0;
      this.answerLine(ctx, len);
      if (ff) this.answer = '';
    }
  }

  private answerLine(ctx: AnalyzerContext, n: number): void {
    const l = this.sLine;
    let e = n;
    while (e > 0 && (l[e - 1] === 0x0d || l[e - 1] === 0x20)) e--;
    let p = 0;
    while (p < e && (l[p] === 0x20 || l[p] === 0x0d)) p++;
    if (p === e) return;
    if (isPjl(l, p, e)) {
      this.confirm(ctx);
      const { verb, rest } = parsePjl(l, p, e);
      this.answer = verb === 'INFO' || verb === 'INQUIRE' || verb === 'DINQUIRE' ? `${verb} ${firstWord(rest)}` : verb;
      this.answerLines = 0;
      if (verb === 'FSUPLOAD') {
        const size = pjlOption(rest, 'SIZE');
        const k = size !== undefined && /^\d{1,12}$/.test(size) ? Number(size) : 0;
        this.s.fs_upload_bytes += k;
        if (k > 0) {
          this.sSkip = k;
          this.sMode = Mode.Skip;
        }
      }
      return;
    }
    const s = this.s;
    this.answerLines++;
    if (this.answer !== 'INFO STATUS' && this.answer !== 'USTATUS' && this.answer !== 'INFO ID' && this.answer !== 'FSDIRLIST') return;
    const text = Buffer.from(l.buffer, l.byteOffset + p, e - p).toString('latin1');
    switch (this.answer) {
      case 'INFO ID':
        if (this.answerLines === 1 && s.model === undefined) {
          let a = p;
          let z = e;
          if (l[a] === 0x22) a++;
          if (z > a && l[z - 1] === 0x22) z--;
          const m = escapeBytes(l, a, z).trim();
          if (m !== '') {
            s.model = clip(m);
            s.model_source = 'pjl';
          }
        }
        break;
      case 'INFO STATUS':
      case 'USTATUS': {
        const kv = /^([A-Z]+)\s*=\s*"?([^"]*)"?$/i.exec(text);
        if (kv === null) break;
        const k = kv[1].toUpperCase();
        if (k === 'CODE' && /^\d{1,6}$/.test(kv[2])) s.status_code = Number(kv[2]);
        else if (k === 'DISPLAY') s.display = clip(kv[2]);
        else if (k === 'ONLINE') s.online = kv[2].toUpperCase() === 'TRUE';
        break;
      }
      case 'FSDIRLIST':
        s.fs_entries++;
        break;
      default:
    }
  }

  private zplFrame(ctx: AnalyzerContext): void {
    const text = Buffer.from(this.frame.buffer, 0, this.frameLen).toString('latin1');
    const id = parseZplIdentity(text);
    if (id === null) return;
    this.confirm(ctx);
    const s = this.s;
    if (s.model === undefined) {
      s.model = id.model;
      s.model_source = 'zpl';
      s.firmware = id.firmware;
    }
  }

  end(ctx: AnalyzerContext): void {
    if (this.cMode === Mode.Document && !this.sniffed && this.sniffLen > 0) this.decide(ctx, sniffLanguage(this.sniff, 0, this.sniffLen));
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
