// The printer-attack detector on the generated raw-printing capture
// (test/fixtures/generated/jetdirect/generate.sh): Nmap's pjl-ready-message changing a laser
// printer's display, and a PRET-style session listing and reading its file system through a path
// out of its volume, then turning its PJL password off. The print jobs (CUPS with hpcups, PostScript,
// Zebra ZPL, a raw ZPL wristband) and the identity queries (PJL INFO ID, ZPL ~HI/~HS) must raise nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { Monitor } from './monitor.js';
import type { MonitorConfig } from './config.js';
import type { Alert } from '../report/alert.js';
import { printerAbuse } from './printer.js';
import type { JetdirectSession } from '../analyzers/jetdirect/events.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-jetdirect.pcap');

async function alerts(config: Partial<MonitorConfig> = {}): Promise<Alert[]> {
  const m = new Monitor({ config, fileName: () => PCAP });
  const run = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'printer-attack');
}

test('printer-attack: the display hijack and the file system session, nothing for print jobs and queries', async () => {
  const got = await alerts();
  // Both sessions come from one workstation to one printer, 6 s apart: one episode.
  assert.equal(got.length, 1);
  const a = got[0];
  assert.deepEqual([a.device, a.peer, a.severity, a.count], ['ip:10.96.0.30', '10.96.0.40', 'high', 2]);
  assert.match(a.why, /a message put on the printer's display \("PWNED BY NMAP"\)/);
  assert.match(a.why, /0:\\\.\.\\\.\.\\etc\\passwd: directory traversal/);
  assert.match(a.why, /a new PJL password/);
  assert.match(a.why, /PJL file system access \(FSDIRLIST, FSUPLOAD; 30 bytes of files read\)/);
  // Evidence: the two sessions' events, each at its connection's first packet.
  assert.deepEqual(a.evidence.map((e) => [e.fact, e.source]), [['printer-command', 'jetdirect.session'], ['printer-command', 'jetdirect.session']]);
  assert.ok(a.evidence.every((e) => e.packet > 0 && e.file === PCAP));
});

test('printer-attack: a printer management station in printerAdminAllow raises nothing', async () => {
  assert.deepEqual(await alerts({ printerAdminAllow: ['10.96.0.30/32'] }), []);
});

test('printerAbuse(): job PJL and status queries are not abuse; ZPL configuration is', () => {
  const base: JetdirectSession = {
    type: 'jetdirect.session', tsSec: 0, tsNsec: 0, packet: 1, languages: ['pcl'], documents: 1, document_bytes: 10, jobs: 1,
    pjl_commands: ['JOB', 'SET', 'ENTER', 'INFO', 'USTATUS', 'EOJ'], info_queries: ['INFO STATUS'], defaults: [], fs_commands: [], fs_paths: [],
    fs_download_bytes: 0, fs_upload_bytes: 0, fs_entries: 0, zpl_labels: 0, zpl_fields: 0, zpl_commands: ['~HI', '~HS'], reply_bytes: 0,
  };
  assert.equal(printerAbuse(base), null);
  assert.deepEqual(printerAbuse({ ...base, zpl_commands: ['^JUS', '^ND'] }), { severity: 'medium', items: ['ZPL configuration commands (^JUS, ^ND)'] });
  assert.equal(printerAbuse({ ...base, zpl_commands: ['^KP'] })!.severity, 'high');
  assert.deepEqual(printerAbuse({ ...base, pjl_commands: ['INITIALIZE'] })!.items, ["PJL INITIALIZE (the printer's factory settings)"]);
});
