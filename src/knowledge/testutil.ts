// Test helpers for the knowledge feeds: decode a capture packet by packet, and find the feed
// folders and the corpus.
import { CaptureReader } from '../capture/reader.js';
import { openSource } from '../capture/source.js';
import { Decoder, L4 } from '../decode/decoder.js';
import type { PacketMeta } from '../decode/packet.js';
import { Weirds } from '../decode/weird.js';
import { REPO_ROOT } from '../testutil/corpus.js';
import { join } from 'node:path';

/** The repository's knowledge/ folder. */
export const KB_DIR = join(REPO_ROOT, 'knowledge');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** Calls `fn` with every packet of `path` that decoded to TCP/UDP/ICMP. */
export async function forEachL4Packet(path: string, fn: (m: PacketMeta) => void): Promise<void> {
  const weirds = new Weirds();
  const dec = new Decoder(weirds);
  const src = openSource(path);
  try {
    const reader = new CaptureReader(src, path);
    await reader.read((r) => {
      if (dec.decode(r, 0) === L4) fn(dec.m);
    });
  } finally {
    src.close();
  }
}
