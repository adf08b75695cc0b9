// Locally administered unicast Ethernet sources (the U/L bit set, I/G clear): virtual machines,
// containers, phones' private Wi-Fi addresses — and flooders that keep to unicast sources
// (mausezahn -a rand) to fill a switch's MAC table without the group sources macof gives away.
// Per link, the frames such sources sent and, once per source, the count at its first frame: the
// monitor's mac-flood compares how many sources are new with how many frames they sent (a
// flood's made-up source sends one frame; a VM or a phone sends many). Both tables are bounded;
// the oldest source makes room (under a flood, the flood's own).
import { evictOldest } from '../util/evict.js';

/** Sources remembered (a full table forgets the oldest: a forgotten VM counts as new once more). */
export const MAX_LOCAL_SOURCES = 65_536;
/** Links (VLANs) counted; frames on further links are not. */
const MAX_LINKS = 4096;

export class LocalSources {
  private readonly seen = new Map<number, number>();
  private readonly frames = new Map<number, number>();

  /**
   * Counts a frame from locally administered `mac` on link `vlan`. Returns the link's frame
   * count (this frame included) when the source is new, else 0.
   */
  frame(mac: number, vlan: number): number {
    let n = this.frames.get(vlan);
    if (n === undefined) {
      if (this.frames.size >= MAX_LINKS) return 0;
      n = 0;
    }
    this.frames.set(vlan, ++n);
    if (this.seen.has(mac)) return 0;
    if (this.seen.size >= MAX_LOCAL_SOURCES) evictOldest(this.seen);
    this.seen.set(mac, vlan);
    return n;
  }
}
