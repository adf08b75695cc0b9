// NFS in the inventory, on nDPI's NFS session (test/fixtures/ndpi/ndpi-nfs.pcap; tshark: every
// AUTH_SYS credential of 139.25.22.2 names the machine "werrmsche"; 139.25.22.102 answers the
// portmapper, mountd and nfsd).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';

test('the AUTH_SYS machine name is the client\'s host name; the host answering NFS is a file server', async () => {
  testKb();
  const { devices } = await runInventory([join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-nfs.pcap')]);
  const client = deviceWithIp(devices, '139.25.22.2')!;
  assert.deepEqual(client.hostnames, ['werrmsche']);
  assert.ok(client.evidence.some((e) => e.source === 'rpc.machine_name' && e.value === 'werrmsche' && e.packet > 0));
  const server = deviceWithIp(devices, '139.25.22.102')!;
  assert.equal(server.category, 'server');
  assert.ok(server.evidence.some((e) => e.fact === 'role' && e.value === 'nfs-server'));
});
