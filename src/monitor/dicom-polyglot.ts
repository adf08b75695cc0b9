// DICOM files that are also programs: a Part 10 file whose 128-byte preamble holds an
// executable's header (the file analysis' dicom.polyglot events; CVE-2019-11687). The
// preamble is free for "application profiles" (PS3.10 §7.1): zeros, or a TIFF header for
// dual-format files; a Windows PE header there makes a file that the PACS stores and shows as an
// image and that Windows runs as a program — malware inside patient data, kept by every archive
// and backup (Cylera's 2019 research). Files go by as files over SMB, HTTP (DICOMweb too) and FTP;
// DIMSE transfers (C-STORE) carry no preamble. One alert per (sender, receiver), counting the
// files, with each file's hash and name as evidence; high, critical when the inventory calls
// either end a medical or IoT device. The device is the sender.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Severity } from '../report/model.js';
import { raiseSeverity, RULES } from './rules.js';
import { isMedIot } from './lateral.js';
import { eventEvidence, eventFile, origMacOf, type DetectorContext } from './view.js';

export class DicomPolyglotDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'dicom.polyglot' || c === null || typeof ev.sender !== 'string' || typeof ev.receiver !== 'string') return;
    const ctx = this.ctx;
    const { sender, receiver } = ev;
    const senderCat = ctx.category(sender, null);
    const receiverCat = ctx.category(receiver, null);
    let severity: Severity = RULES['dicom-polyglot'].severity;
    if (isMedIot(senderCat) || isMedIot(receiverCat)) severity = raiseSeverity(severity);
    const name = typeof ev.filename === 'string' ? ev.filename : typeof ev.url === 'string' ? ev.url : ev.fuid;
    const how = ev.source === 'SMB' ? 'over SMB' : ev.source === 'FTP_DATA' ? 'over FTP' : ev.source === 'HTTP' ? 'over HTTP' : `over ${String(ev.source)}`;
    const e = eventEvidence('dicom-executable-preamble', `${String(name)}: ${String(ev.format)} header in the preamble${typeof ev.sha256 === 'string' ? `, SHA-256 ${ev.sha256}` : ''} (file ${String(ev.fuid)})`, ev.type, ev, c, m, eventFile(ctx, ev, c, m));
    const dev = (ip: string, cat: ReturnType<DetectorContext['category']>): string => (isMedIot(cat) ? `the ${cat} device ${ip}` : ip);
    ctx.book.observe({
      rule: 'dicom-polyglot',
      key: `${sender}|${receiver}`,
      device: ctx.deviceId(sender, origMacOf(c, sender)),
      peer: receiver,
      ts: e.ts,
      severity,
      why: `${dev(sender, senderCat)} sent ${dev(receiver, receiverCat)} a DICOM file whose preamble is ${/^[AEIOU]/.test(String(ev.format)) ? 'an' : 'a'} ${String(ev.format)} executable's header (${String(name)}, ${how}): a PE/DICOM polyglot (CVE-2019-11687), an image to the PACS and a program to Windows — malware hidden in patient data.`,
      evidence: [e],
    });
  }
}
