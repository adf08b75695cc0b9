// Regenerates test/golden/tshark-conv.json: tshark's TCP and UDP conversation totals for every
// capture in the shared corpus, the peer expectation for test/tshark-conv.test.ts.
// Command per capture: tshark -n -r <capture> -q -z conv,tcp -z conv,udp   (tshark 4.0.17)
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const out = resolve(process.argv[3] ?? 'test/golden/tshark-conv.json');

function walk(d, acc) {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/i.test(e)) acc.push(p);
  }
  return acc;
}

function parse(text) {
  const convs = [];
  let proto = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('TCP Conversations')) proto = 'tcp';
    else if (line.startsWith('UDP Conversations')) proto = 'udp';
    // Byte counts come with SI units ("3075 bytes", "14 kB", "2 MB"): keep the figure and its unit.
    const m = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+) (\S+)\s+(\d+)\s+(\d+) (\S+)\s+(\d+)\s+(\d+) (\S+)\s+/.exec(line);
    if (m && proto) {
      const unit = (u) => ({ bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 })[u] ?? 0;
      convs.push({ proto, a: m[1], b: m[2], frames: +m[9], bytes: +m[10], bytes_unit: unit(m[11]) });
    }
  }
  return convs;
}

const result = { tool: 'TShark 4.0.17', command: 'tshark -n -r <capture> -q -z conv,tcp -z conv,udp', captures: {} };
for (const p of walk(corpus, [])) {
  let text = '';
  try {
    text = execFileSync('tshark', ['-n', '-r', p, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (e) {
    text = e.stdout ?? '';
  }
  result.captures[relative(corpus, p)] = parse(text);
}
writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
console.log(`${Object.keys(result.captures).length} captures`);
