// Per-flow state of the template protocol: buffers a partial line per direction (bounded),
// emits one event per complete message, and turns damage into weirds.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { MAX_LINE, parseLine } from './parse.js';

export class TemplateAnalyzer implements FlowAnalyzer {
  private pending: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  private broken = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (this.broken) return;
    const side = isOrig ? 0 : 1;
    let b = buf;
    let o = off;
    let l = len;
    const carry = this.pending[side];
    if (carry.length) {
      b = new Uint8Array(carry.length + len);
      b.set(carry, 0);
      b.set(buf.subarray(off, off + len), carry.length);
      o = 0;
      l = b.length;
    }
    while (l > 0) {
      const r = parseLine(b, o, l);
      if (r === 'need_more') break;
      if (r === 'bad') {
        ctx.weird('template.bad_line');
        this.broken = true;
        return;
      }
      if (isOrig && r.verb === 'HELLO') {
        ctx.confirm('template');
        ctx.emit({ type: 'template.hello', name: r.arg });
      } else if (!isOrig && r.verb === 'OK') ctx.emit({ type: 'template.reply', text: r.arg });
      o += r.consumed;
      l -= r.consumed;
    }
    this.pending[side] = l > 0 && l < MAX_LINE ? b.slice(o, o + l) : new Uint8Array(0);
  }

  gap(): void {
    // A line-based protocol cannot resynchronise inside a line: drop the partial line.
    this.pending = [new Uint8Array(0), new Uint8Array(0)];
  }
}
