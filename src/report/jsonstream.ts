// JSON.stringify(value, null, 2) + "\n", byte for byte, handed to a sink piece by piece: the
// top-level arrays (devices, findings: tens of megabytes on a large network) are serialised a
// slice at a time instead of as one string.
import type { TextSink } from './textfile.js';

/** Top-level arrays shorter than this are serialised whole. */
const STREAM_MIN = 16;
/** Elements serialised per piece. */
const SLICE = 64;

/** The JSON of `v` indented as it would be one level inside JSON.stringify(…, null, 2). */
function nested(v: unknown): string | undefined {
  const s = JSON.stringify(v, null, 2);
  if (s === undefined) return undefined;
  return s.indexOf('\n') < 0 ? s : s.replace(/\n/g, '\n  ');
}

export function writePrettyJson(value: unknown, out: TextSink): void {
  const isPlain = value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  if (!isPlain) {
    out(JSON.stringify(value, null, 2) + '\n');
    return;
  }
  const obj = value as Record<string, unknown>;
  let first = true;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const k = JSON.stringify(key);
    if (Array.isArray(v) && v.length >= STREAM_MIN && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      // A slice wrapped as {key: slice} comes out of JSON.stringify already indented as the
      // elements of the whole array are; the wrapper's first and last lines are cut off.
      const head = `{\n  ${k}: [\n`;
      const tail = '\n  ]\n}';
      out(`${first ? '{\n' : ',\n'}  ${k}: [\n`);
      for (let i = 0; i < v.length; i += SLICE) {
        const s = JSON.stringify({ [key]: v.slice(i, i + SLICE) }, null, 2);
        out(i > 0 ? ',\n' : '');
        out(s.slice(head.length, s.length - tail.length));
      }
      out('\n  ]');
      first = false;
      continue;
    }
    const s = nested(v);
    if (s === undefined) continue; // omitted, as JSON.stringify omits it
    out(`${first ? '{\n' : ',\n'}  ${k}: ${s}`);
    first = false;
  }
  out(first ? '{}\n' : '\n}\n');
}
