// Bulk uploads to the Internet. Before encrypting, ransomware crews copy the data out (double
// extortion), and a stolen archive of patient records leaves the same way: one internal host
// sending far more to one Internet address than it receives. Per (host, Internet destination)
// within `exfilWindowSecs` (1 h), from finished connections: at `exfilBytes` (100 MB) sent and at
// least UPLOAD_RATIO times what came back, one alert — high when the host is a medical or IoT
// device (they send measurements and logs, not archives), medium for others (a workstation's
// upload may be a sanctioned cloud service: the alert names the destination by its TLS server
// name or HTTP host, and `exfilAllow` takes the destinations judged, as addresses, prefixes or
// DNS names). Bytes are the connections' payload (conn.log orig_bytes, from TCP sequence numbers,
// so a capture cut by a snap length counts them whole).
import type { Evidence } from '../report/model.js';
import { connEvidence, type ConnView, type DetectorContext } from './view.js';
import { DestAllow, type DestNames } from './dest-names.js';
import { isMedIot } from './lateral.js';
import { windowEntry } from './window.js';

/** Sent at least this many times what was received: an upload, not a download with a big request. */
export const UPLOAD_RATIO = 4;
const WEB_PORTS = new Set([80, 443, 8080, 8443]);

interface Upload {
  first: number;
  sent: number;
  received: number;
  conns: number;
  ports: Set<number>;
  /** The window's first connection and its largest. */
  firstEvidence: Evidence | null;
  largest: number;
  largestEvidence: Evidence | null;
}

export class ExfilDetector {
  private readonly allow: DestAllow;
  private readonly uploads = new Map<string, Upload>();
  evicted = 0;

  constructor(
    private readonly ctx: DetectorContext,
    private readonly names: DestNames,
  ) {
    this.allow = new DestAllow(ctx.cfg.exfilAllow);
  }

  onConn(v: ConnView): void {
    if (!v.origInternal || v.respInternal || v.origBytes === 0 || this.allow.hasAddr(v.resp)) return;
    const cfg = this.ctx.cfg;
    const key = `${v.orig}|${v.resp}`;
    const r = windowEntry(this.uploads, key, v.start, cfg.exfilWindowSecs, cfg.maxSources, () => ({ first: v.start, sent: 0, received: 0, conns: 0, ports: new Set<number>(), firstEvidence: null, largest: 0, largestEvidence: null }));
    if (r.evicted) this.evicted++;
    const u = r.entry;
    u.sent += v.origBytes;
    u.received += v.respBytes;
    u.conns++;
    if (u.ports.size < 8) u.ports.add(v.rPort);
    if (u.firstEvidence === null || v.origBytes > u.largest) {
      // Built only for the window's first connection and a new largest (one object when both).
      const e = connEvidence(v, 'upload-connection');
      u.firstEvidence ??= e;
      if (v.origBytes > u.largest) {
        u.largest = v.origBytes;
        u.largestEvidence = e;
      }
    }
    if (u.sent < cfg.exfilBytes || u.sent < UPLOAD_RATIO * u.received) return;
    const name = this.names.get(v.orig, v.resp);
    if (this.allow.hasName(name)) return;
    const category = this.ctx.category(v.orig, v.origMac);
    const medIot = isMedIot(category);
    const web = [...u.ports].every((p) => WEB_PORTS.has(p));
    const mins = Math.round(cfg.exfilWindowSecs / 60);
    const evidence: Evidence[] = [u.firstEvidence!];
    if (u.largestEvidence !== null && u.largestEvidence !== u.firstEvidence) evidence.push(u.largestEvidence);
    this.ctx.book.observe({
      rule: 'data-exfiltration',
      key,
      device: this.ctx.deviceId(v.orig, v.origMac),
      peer: v.resp,
      ts: v.start,
      severity: medIot ? 'high' : 'medium',
      why: `${v.orig}${medIot ? ` (${category})` : ''} sent ${mb(u.sent)} to ${v.resp}${name !== '' ? ` (${name})` : ''} on port${u.ports.size > 1 ? 's' : ''} ${[...u.ports].join(', ')} in ${u.conns} ${u.conns === 1 ? 'connection' : 'connections'} within ${mins} minutes, receiving ${mb(u.received)}: a bulk upload to the Internet, how data is stolen before ransomware encrypts it (MITRE ATT&CK ${web ? 'T1567, exfiltration over a web service' : 'T1048, exfiltration over another protocol'})${medIot ? '; a medical or IoT device sends measurements and logs, not archives' : ''}. If the destination is a sanctioned backup or cloud service, list it in exfilAllow`,
      evidence,
    });
  }

  size(): number {
    return this.uploads.size;
  }
}

function mb(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}
