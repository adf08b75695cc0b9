// Bulk patient queries against a DICOM archive. A PACS answers query/retrieve C-FINDs from any AE
// title it accepts, one match per pending response, each carrying the patient's name, ID and
// birth date. A viewer asks for one patient, an accession number or a day's studies; a C-FIND
// whose keys are all empty or "*" (universal matching, PS3.4 C.2.2.2.3) asks for every record at
// its level, and one that gets dicomBulkQueryMatches or more answers back has enumerated the
// archive's patients (findscu with empty keys, a harvesting script, an attacker listing what
// to retrieve). Only query/retrieve FINDs count: a modality's worklist query (MWL) lists the
// day's scheduled procedures by design. The query's values are never read beyond "empty or
// wildcard" (dicom.query); the matches are counted from the responses' status (dicom.command).
// One alert per (client, archive) episode, counting the bulk queries (its why the last one's
// matches); the client is the device, the archive the peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { origAddr, respAddr } from '../flow/connlog.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';
import { episodeEntry } from './window.js';

/** Query/retrieve information models' FIND SOP classes (PS3.4 C.6): patient root, study root, patient/study only (retired). */
const QR_FIND = new Map([
  ['1.2.840.10008.5.1.4.1.2.1.1', 'Patient Root'],
  ['1.2.840.10008.5.1.4.1.2.2.1', 'Study Root'],
  ['1.2.840.10008.5.1.4.1.2.3.1', 'Patient/Study Only'],
]);
const PENDING = new Set([0xff00, 0xff01]);
/** Associations followed at once (a PACS serves tens; the bound is for a flood of them). */
const MAX_ASSOCIATIONS = 4096;

interface Query {
  level: string;
  keys: number;
  model: string;
  matches: number;
  evidence: Evidence;
}

interface Association {
  calling: string;
  called: string;
  query: Query | null;
}

/** What an open episode's alert said, and the retrieves that followed it. */
interface Episode {
  why: string;
  retrieves: number;
  firstRetrieve: Evidence | null;
  /** "C-MOVE to AE "X"": the first retrieve, for the wording */
  retrieveWhat: string;
}

/** The episode's wording: its last bulk query, and the retrieves that followed. */
function episodeWhy(ep: Episode): string {
  if (ep.firstRetrieve === null) return ep.why;
  return `${ep.why}; then it asked for ${ep.retrieves} retrieve${ep.retrieves === 1 ? '' : 's'} (${ep.retrieveWhat}, the first at packet ${ep.firstRetrieve.packet}): the records it listed are being copied out`;
}

export class DicomQueryDetector {
  /** connection uid → its AE titles and current universal query */
  private readonly assocs = new Map<string, Association>();
  /** `client|archive` → its open episode's wording and retrieves */
  private readonly episodes = new Map<string, Episode>();

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null) return;
    if (ev.type === 'dicom.associate') {
      const a = this.assoc(c);
      a.calling = String(ev.calling_ae ?? '');
      a.called = String(ev.called_ae ?? '');
    } else if (ev.type === 'dicom.query') {
      const model = QR_FIND.get(String(ev.sop_class ?? ''));
      const a = this.assoc(c);
      a.query = null;
      if (model === undefined || ev.narrowed !== false) return;
      const level = String(ev.level ?? '');
      const keys = typeof ev.keys === 'number' ? ev.keys : 0;
      const e = eventEvidence('dicom-query', `C-FIND (${model}) at ${level === '' ? 'no stated' : level} level, ${keys} key${keys === 1 ? '' : 's'}, none narrowing the match`, 'dicom.query', ev, c, m, eventFile(this.ctx, ev, c, m));
      a.query = { level, keys, model, matches: 0, evidence: e };
    } else if (ev.type === 'dicom.command' && ev.command === 'C-FIND-RSP' && ev.is_orig === false) {
      const a = this.assocs.get(c.uid);
      const q = a?.query;
      if (a === undefined || q === undefined || q === null || typeof ev.status !== 'number') return;
      const threshold = this.ctx.cfg.dicomBulkQueryMatches;
      if (PENDING.has(ev.status)) {
        // Raised at the threshold; the final response (success, cancel or failure) gives the total.
        if (++q.matches === threshold) this.raise(c, a, q, ev, m, false);
        return;
      }
      a.query = null;
      if (q.matches >= threshold) this.raise(c, a, q, ev, m, true);
    } else if (ev.type === 'dicom.command' && ev.is_orig === true && (ev.command === 'C-MOVE-RQ' || ev.command === 'C-GET-RQ')) {
      this.retrieve(c, ev, m);
    } else if (ev.type === 'dicom.association') this.assocs.delete(c.uid);
  }

  /**
   * A retrieve (C-MOVE or C-GET) from a client whose bulk query is still an open alert: the
   * records it listed are being copied out. Critical; the why counts the retrieves.
   */
  private retrieve(c: Conn, ev: AppEvent, m: PacketMeta): void {
    const key = `${origAddr(c)}|${respAddr(c)}`;
    const open = this.ctx.book.get('dicom-bulk-query', key);
    const ep = this.episodes.get(key);
    if (open === undefined || ep === undefined) return;
    ep.retrieves++;
    const dest = typeof ev.move_destination === 'string' && ev.move_destination !== '' ? ` to AE "${ev.move_destination}"` : '';
    const e = eventEvidence('dicom-retrieve', `${String(ev.command)}${dest} after the bulk query`, 'dicom.command', ev, c, m, eventFile(this.ctx, ev, c, m));
    if (ep.firstRetrieve === null) {
      ep.firstRetrieve = e;
      ep.retrieveWhat = `${String(ev.command).replace(/-RQ$/, '')}${dest}`;
    }
    this.ctx.book.observe({ rule: 'dicom-bulk-query', key, device: open.device, peer: open.peer, ts: e.ts, inc: 0, severity: 'critical', why: episodeWhy(ep), evidence: ep.retrieves === 1 ? [e] : [], pin: true });
  }

  private assoc(c: Conn): Association {
    let a = this.assocs.get(c.uid);
    if (a === undefined) {
      if (this.assocs.size >= MAX_ASSOCIATIONS) evictOldest(this.assocs);
      a = { calling: '', called: '', query: null };
      this.assocs.set(c.uid, a);
    }
    return a;
  }

  /** At the threshold (`done` false), and at the query's final response with its total. */
  private raise(c: Conn, a: Association, q: Query, ev: AppEvent, m: PacketMeta, done: boolean): void {
    const client = origAddr(c);
    const archive = respAddr(c);
    const key = `${client}|${archive}`;
    const what = q.level === 'PATIENT' ? 'patient' : q.level === 'STUDY' ? 'study' : q.level === 'SERIES' ? 'series' : q.level === 'IMAGE' ? 'image' : 'record';
    const ae = (t: string): string => (t !== '' ? ` (AE "${t}")` : '');
    const why = `${client}${ae(a.calling)} asked the DICOM archive ${archive}${ae(a.called)} for every ${what} — a ${q.model} C-FIND at ${q.level === '' ? 'no stated' : q.level} level whose ${q.keys} key${q.keys === 1 ? '' : 's'} all match anything (empty or "*") — and was sent ${q.matches}${done ? '' : ' or more'} matches, each a record with the patient fields the query listed, in clear unless over TLS: the archive's patient list enumerated (findscu with empty keys, a harvesting script, an attacker choosing what to retrieve); a viewer asks for one patient, an accession number or a day's studies`;
    const ep = episodeEntry<Episode>(this.ctx.book.get('dicom-bulk-query', key) !== undefined, this.episodes, key, this.ctx.cfg.maxSources, () => ({ why, retrieves: 0, firstRetrieve: null, retrieveWhat: '' }));
    ep.why = why;
    const evidence = done ? [] : [q.evidence, eventEvidence('dicom-matches', `${q.matches} matches sent for the query so far (C-FIND-RSP pending)`, 'dicom.status', ev, c, m, eventFile(this.ctx, ev, c, m))];
    this.ctx.book.observe({
      rule: 'dicom-bulk-query',
      key,
      device: this.ctx.deviceId(client, c.origMac === 0 ? null : formatMac(c.origMac)),
      peer: archive,
      ts: m.ts,
      inc: done ? 0 : 1,
      why: episodeWhy(ep),
      evidence,
    });
  }

  size(): number {
    return this.assocs.size + this.episodes.size;
  }
}
