// Packet and byte totals per TCP/UDP conversation against tshark's conversation tables, for every
// capture in the shared corpus (expectations in test/golden/tshark-conv.json, produced by
// scripts/gen-tshark-conv.mjs with the command recorded in that file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, REPO_ROOT, haveCorpus, runCaptures } from '../src/testutil/corpus.js';
import { origAddr, respAddr } from '../src/flow/connlog.js';
import type { Conn } from '../src/flow/conn.js';

interface TsharkConv {
  proto: string;
  a: string;
  b: string;
  frames: number;
  bytes: number;
  /** tshark prints large byte counts in kB/MB, truncated: the multiplier of `bytes`. */
  bytes_unit: number;
}

const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'golden', 'tshark-conv.json'), 'utf8')) as { captures: Record<string, TsharkConv[]> };

/** Captures where wardline and tshark legitimately count differently, and why. */
export const CONV_DIFFERENCES: Record<string, string> = {
  'ndpi/pcap/fuzz-2021-06-07-c6c72a0a56.pcap':
    "a fuzzed record claims a wire length of 2,147,483,647 bytes and an invalid fraction of a second; tshark leaves that frame's GTP/UDP conversation out of its table, wardline counts the frame it decoded",
};

function endpoint(addr: string, port: number): string {
  return `${addr}:${port}`;
}

function key(proto: string, x: string, y: string): string {
  return x < y ? `${proto} ${x} ${y}` : `${proto} ${y} ${x}`;
}

export function ourConversations(conns: Conn[]): Map<string, { frames: number; bytes: number }> {
  const m = new Map<string, { frames: number; bytes: number }>();
  for (const c of conns) {
    if (c.proto !== 6 && c.proto !== 17) continue;
    const k = key(c.proto === 6 ? 'tcp' : 'udp', endpoint(origAddr(c), c.oPort), endpoint(respAddr(c), c.rPort));
    const v = m.get(k) ?? { frames: 0, bytes: 0 };
    v.frames += c.origPkts + c.respPkts;
    v.bytes += c.origFrameBytes + c.respFrameBytes;
    m.set(k, v);
  }
  return m;
}

interface Theirs {
  frames: number;
  /** Exact byte total, or the [min, max] range a rounded figure allows. */
  min: number;
  max: number;
}

export function theirConversations(list: TsharkConv[]): Map<string, Theirs> {
  const m = new Map<string, Theirs>();
  for (const t of list) {
    const k = key(t.proto, t.a, t.b);
    const v = m.get(k) ?? { frames: 0, min: 0, max: 0 };
    v.frames += t.frames;
    const u = t.bytes_unit || 1;
    v.min += t.bytes * u;
    v.max += u === 1 ? t.bytes : (t.bytes + 1) * u - 1;
    m.set(k, v);
  }
  return m;
}

export function diffConversations(ours: Map<string, { frames: number; bytes: number }>, theirs: Map<string, Theirs>): string[] {
  const out: string[] = [];
  for (const [k, t] of theirs) {
    const o = ours.get(k);
    if (o === undefined) out.push(`missing ${k} (tshark ${t.frames} frames)`);
    else if (o.frames !== t.frames || o.bytes < t.min || o.bytes > t.max) out.push(`${k}: ${o.frames}/${o.bytes} vs tshark ${t.frames}/${t.min}..${t.max}`);
  }
  for (const [k, o] of ours) if (!theirs.has(k)) out.push(`extra ${k} (${o.frames} frames)`);
  return out;
}

const skip = !haveCorpus() && 'shared corpus not present';

for (const rel of Object.keys(golden.captures)) {
  const path = join(CORPUS, rel);
  test(`conversation totals match tshark for ${rel}`, { skip: skip || !existsSync(path) }, async () => {
    const run = await runCaptures([path]);
    try {
      const diffs = diffConversations(ourConversations(run.conns), theirConversations(golden.captures[rel]));
      if (CONV_DIFFERENCES[rel] !== undefined) {
        assert.ok(diffs.length > 0, `listed as a known difference but now agrees: ${CONV_DIFFERENCES[rel]}`);
        return;
      }
      assert.deepEqual(diffs, [], diffs.slice(0, 10).join('\n'));
    } finally {
      run.cleanup();
    }
  });
}
