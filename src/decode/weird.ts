// Named anomaly counters ("weirds", after Zeek): malformed input is counted and sampled,
// never thrown. Names are stable identifiers such as `ipv4.bad_header_len`.

export interface WeirdSample {
  name: string;
  count: number;
  /** First occurrence: the capture file index, 1-based packet number and timestamp. */
  file: number;
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** Up to MAX_SAMPLES occurrences, for weird.log. */
  samples: number[];
}

const MAX_NAMES = 4096;
/** Occurrences of one weird that get their own weird.log line; the rest are only counted. */
const MAX_SAMPLES = 20;

export class Weirds {
  private readonly byName = new Map<string, WeirdSample>();
  /** Position of the packet being processed; set by the engine before each packet. */
  file = 0;
  packet = 0;
  tsSec = 0;
  tsNsec = 0;
  dropped = 0;
  /** The connection the current packet belongs to, when known (for weird.log context). */
  conn: unknown = null;
  /** Optional hook to log each sampled occurrence with its flow context. */
  onSample: ((w: WeirdSample, packet: number) => void) | null = null;

  add(name: string): void {
    let w = this.byName.get(name);
    if (w === undefined) {
      if (this.byName.size >= MAX_NAMES) {
        this.dropped++;
        return;
      }
      w = { name, count: 0, file: this.file, packet: this.packet, tsSec: this.tsSec, tsNsec: this.tsNsec, samples: [] };
      this.byName.set(name, w);
    }
    w.count++;
    if (w.samples.length < MAX_SAMPLES) {
      w.samples.push(this.packet);
      if (this.onSample !== null) this.onSample(w, this.packet);
    }
  }

  count(name: string): number {
    return this.byName.get(name)?.count ?? 0;
  }

  /** Counts sorted by name, for report.json. */
  toObject(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.byName.keys()].sort()) out[k] = this.byName.get(k)!.count;
    return out;
  }

  all(): WeirdSample[] {
    return [...this.byName.values()];
  }
}
