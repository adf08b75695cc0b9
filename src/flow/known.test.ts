// known_hosts and known_services against Zeek's own baselines in the corpus
// (scripts.policy.protocols.conn.known-hosts / known-services, LOCAL_HOSTS tracking with the
// test's Site::local_nets: 141.142.0.0/16 for wikipedia.pcap, 172.16.238.0/24 for
// var-services-std-ports.pcap). Zeek's timestamps are masked in its baselines: the records are
// compared without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analysis } from '../engine/analyze.js';
import { corpus, haveCorpus, readZeekTsv } from '../testutil/corpus.js';

const skip = !haveCorpus() && 'shared corpus not present';

async function run(trace: string, localNets: string[]): Promise<{ hosts: Record<string, unknown>[]; services: Record<string, unknown>[] }> {
  const out = mkdtempSync(join(tmpdir(), 'wardline-known-'));
  try {
    await new Analysis({ outDir: out, localNets }).run([corpus('zeek', 'traces', trace)]);
    const read = (n: string): Record<string, unknown>[] => {
      try {
        return readFileSync(join(out, 'logs', `${n}.log`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      } catch {
        return [];
      }
    };
    return { hosts: read('known_hosts'), services: read('known_services') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test("known_services.log has Zeek's local services of var-services-std-ports.pcap", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek', 'baselines', 'scripts.policy.protocols.conn.known-services', 'knownservices-local.log')).map((r) => `${r.host} ${r.port_num}/${r.port_proto} ${r.service}`).sort();
  const { services } = await run('var-services-std-ports.pcap', ['172.16.238.0/24']);
  assert.deepEqual(services.map((r) => `${r.host} ${r.port_num}/${r.port_proto} ${(r.service as string[]).join(',')}`).sort(), want);
  // Zeek's ALL_HOSTS baseline adds the remote servers; the default (private ranges) is the
  // site here, so the remote ones stay out as in LOCAL_HOSTS.
  const all = readZeekTsv(corpus('zeek', 'baselines', 'scripts.policy.protocols.conn.known-services', 'knownservices-all.log'));
  assert.ok(all.length > want.length);
});

test("known_hosts.log has Zeek's local hosts of wikipedia.pcap, and every host with a site of everything", { skip }, async () => {
  const dir = 'scripts.policy.protocols.conn.known-hosts';
  const local = readZeekTsv(corpus('zeek', 'baselines', dir, 'knownhosts-local.log')).map((r) => r.host).sort();
  const all = readZeekTsv(corpus('zeek', 'baselines', dir, 'knownhosts-all.log')).map((r) => r.host).sort();
  assert.deepEqual((await run('wikipedia.pcap', ['141.142.0.0/16'])).hosts.map((r) => r.host).sort(), local);
  assert.deepEqual((await run('wikipedia.pcap', ['0.0.0.0/0', '::/0'])).hosts.map((r) => r.host).sort(), all);
});
