// Host names and the facts that come with them, on real captures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { deviceWithIp, runInventory } from './testutil.js';

const skip = !haveCorpus();

test('inventory: a browser DomainAnnouncement names the workgroup, not a host, and states no OS (nbns.pcap)', { skip }, async () => {
  // tshark on packet 55: "Domain/Workgroup Announcement WORKGROUP", Master Browser Server Name
  // MDJR98. MS-BRWS §2.2.7: the name field is the machine group, the comment the master browser,
  // and the version bytes are BrowserConfigVersion (Windows 7 sends 3.10 there).
  const { devices } = await runInventory([corpus('arkime/tests/pcap/nbns.pcap')]);
  const d = deviceWithIp(devices, '192.168.239.129');
  assert.ok(d !== undefined);
  assert.deepEqual(d.hostnames, ['MDJR98']);
  const at55 = d.evidence.filter((e) => e.packet === 55);
  assert.ok(at55.some((e) => e.fact === 'workgroup' && e.value === 'WORKGROUP' && e.source === 'browser.machine_group'), JSON.stringify(at55));
  assert.ok(!at55.some((e) => e.fact === 'os' || e.fact === 'server_type'), JSON.stringify(at55));
  // The host announcements (packets 30, 33, 54) still state the OS version and server type.
  assert.ok(d.evidence.some((e) => e.source === 'browser.os_version' && e.packet === 30));
});
