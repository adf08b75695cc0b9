// remote-access: AnyDesk on nDPI's tls_client_certificate_with_missing_server_one.pcapng, which
// nDPI labels TLS.AnyDesk (category RemoteAccess): 192.168.1.128 presents AnyDesk's peer
// certificate (tshark: client certificate subject CN=AnyDesk Client) to the relay
// 195.181.174.176:443 and directly to 192.168.1.181:7070. Name matching on synthetic names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';
import { ndpiFlows } from '../testutil/peers.js';
import { remoteAccessCertificate, remoteAccessHost } from '../knowledge/remote-access.js';

const skip = !haveCorpus() && 'shared corpus not present';

test('remoteAccessHost() names a tool by its service names, not by its web site (synthetic names)', () => {
  assert.equal(remoteAccessHost('router12.teamviewer.com'), 'TeamViewer');
  assert.equal(remoteAccessHost('relay-3c2fd3e1.net.anydesk.com.'), 'AnyDesk');
  assert.equal(remoteAccessHost('instance-abc-relay.screenconnect.com'), 'ConnectWise ScreenConnect');
  assert.equal(remoteAccessHost('remotedesktop-pa.googleapis.com'), 'Chrome Remote Desktop');
  assert.equal(remoteAccessHost('www.teamviewer.com'), null, 'the web site');
  assert.equal(remoteAccessHost('teamviewer.com'), null, 'the web site');
  assert.equal(remoteAccessHost('www.googleapis.com'), null);
  assert.equal(remoteAccessHost('fakeanydesk.com'), null, 'a label is not a domain');
  assert.equal(remoteAccessCertificate('CN=AnyDesk Client'), 'AnyDesk');
  assert.equal(remoteAccessCertificate('CN=anydesk.example.org'), null);
});

test("AnyDesk's peer certificate makes remote-access on the device that presents it (nDPI: TLS.AnyDesk, RemoteAccess)", { skip }, async () => {
  const file = 'tls_client_certificate_with_missing_server_one.pcapng';
  const flows = ndpiFlows(corpus('ndpi', 'result', `${file}.out`)).filter((f) => f.app.includes('AnyDesk'));
  assert.ok(flows.length >= 1 && flows.every((f) => f.line.includes('RemoteAccess')));
  const { report } = await runPipeline([corpus('ndpi', 'pcap', file)], { outDir: null, kb: testKb() }, INVENTORY);
  const found = report.findings.filter((f) => f.rule === 'remote-access');
  assert.equal(found.length, 1);
  const d = report.devices.find((x) => x.id === found[0].device)!;
  assert.ok(d.ips.includes('192.168.1.128'), d.id);
  assert.equal(found[0].title, 'Remote-access software in use: AnyDesk');
  assert.equal(found[0].severity, 'medium');
  assert.ok(found[0].evidence.every((e) => e.source === 'x509.client_subject' && e.value === 'AnyDesk: presented the certificate CN=AnyDesk Client'));
  assert.ok(d.risk.factors.some((f) => f.id === 'remote-access' && f.points === 8));
  // The inventory lists the tool among the device's software, with the certificate as evidence.
  assert.ok(d.software.some((s) => String(s).includes('AnyDesk')), JSON.stringify(d.software));
  assert.ok(d.evidence.some((e) => e.source === 'x509.client_subject' && e.fact === 'software' && e.value === 'AnyDesk'));
});

