// Domain generation algorithms (dga.ts) on a generated capture (test/fixtures/generated/dga/
// generate.sh: dnsmasq as the resolver; dig from an infected host for 40 names made by a seeded
// generator as DGA malware makes them, 39 answered NXDOMAIN and one resolving; dig from a
// workstation for the site's names, two typos and a short name under the search suffix). The
// answers are tshark's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';
import { looksGenerated, registeredDomain } from './dga.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-dga.pcap');
/** tshark's rows: frame, source, destination, response flag, query name, rcode, A answers. */
const rows = readTsharkFields(join(GEN, 'dga', 'tshark.tsv'));
const PUMP = '10.97.94.30';
const RESOLVER = '10.97.94.53';

test('looksGenerated: brand and service names are words; a generator\'s letters mostly are not', () => {
  // Names a hospital's hosts resolve every day, ad and tracker domains a DNS filter answers NXDOMAIN for.
  const words = ['googlesyndication', 'doubleclick', 'facebook', 'microsoft', 'windowsupdate', 'cloudfront', 'amazonaws', 'googletagmanager', 'scorecardresearch', 'salesforce', 'sharepoint', 'digicert', 'letsencrypt', 'gehealthcare', 'medtronic', 'epicsystems', 'allscripts', 'intellispace', 'carestream', 'nihonkohden', 'crowdstrike', 'sentinelone', 'teamviewer', 'screenconnect', 'stackoverflow', 'trafficmanager', 'azurewebsites', 'rubiconproject', 'casalemedia', 'sharethrough'];
  assert.deepEqual(words.filter(looksGenerated), []);
  const names = readFileSync(join(GEN, 'dga', 'names.txt'), 'utf8').trim().split('\n');
  const generated = names.filter((n) => looksGenerated(registeredDomain(n)!.label));
  assert.ok(generated.length >= 24, `${generated.length} of ${names.length}`);
  assert.ok(looksGenerated('a9x3k2pq7'));
  assert.deepEqual(registeredDomain('www.nhs.co.uk'), { domain: 'nhs.co.uk', label: 'nhs' });
  assert.equal(registeredDomain('printer1.ward.local'), null);
  assert.equal(registeredDomain('kqzvbtwxqp'), null, 'one label (Chrome\'s NXDOMAIN probe)');
});

test('dga: random-looking NXDOMAIN names under many domains are raised, with the one that resolved; typos are not', async () => {
  const answers = rows.filter((r) => r[3] === '1');
  const nx = answers.filter((r) => r[2] === PUMP && r[5] === '3').map((r) => r[4]);
  assert.equal(nx.length, 39);
  const counted = nx.filter((n) => looksGenerated(registeredDomain(n)!.label));
  const live = answers.find((r) => r[2] === PUMP && r[5] === '0')!;
  assert.equal(live[4], readFileSync(join(GEN, 'dga', 'live.txt'), 'utf8').trim());
  assert.equal(live[6], '198.51.100.66');
  // The workstation's failures: typos and the search suffix.
  assert.deepEqual(answers.filter((r) => r[2] === '10.97.94.20' && r[5] === '3').map((r) => r[4]), ['gooogle.com', 'exmaple.org', 'printer1.ward.local']);

  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity]), [['dga', `ip:${PUMP}`, RESOLVER, 'medium']]);
  const a = alerts[0];
  assert.match(a.why, new RegExp(`^10\\.97\\.94\\.30 asked 10\\.97\\.94\\.53 for ${counted.length} different random-looking domains within 10 minutes that do not exist \\(${counted.slice(0, 5).join(', ').replace(/\./g, '\\.')} …\\), and for 1 of the same kind that resolved \\(${live[4].replace(/\./g, '\\.')} → 198\\.51\\.100\\.66: likely the live controller\\)`));
  assert.deepEqual(alertTechniques(a), ['T1568.002']);
  // Evidence: the first four NXDOMAIN answers counted, at their queries as tshark numbers them.
  const queries = rows.filter((r) => r[3] === '0' && r[1] === PUMP);
  assert.deepEqual(a.evidence.map((e) => e.packet), counted.slice(0, 4).map((n) => Number(queries.find((q) => q[4] === n)![0])));
  assert.deepEqual(await monitorCaptures([PCAP], { dgaDomains: counted.length + 1 }), []);
});
