// JSON.stringify(value, null, 2) + "\n", byte for byte, handed to a sink piece by piece: the
// elements of the top-level arrays (devices, findings: tens of megabytes on a large network)
// are serialised one at a time instead of as one string.
import type { TextSink } from './textfile.js';

/** Top-level arrays shorter than this are serialised whole. */
const STREAM_MIN = 16;

/** The JSON of `v` indented as it would be at `depth` inside JSON.stringify(…, null, 2). */
function nested(v: unknown, depth: number): string | undefined {
  const s = JSON.stringify(v, null, 2);
  if (s === undefined) return undefined;
  return s.indexOf('\n') < 0 ? s : s.replace(/\n/g, '\n' + '  '.repeat(depth));
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
    if (Array.isArray(v) && v.length >= STREAM_MIN && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      out(`${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: [\n`);
      for (let i = 0; i < v.length; i++) {
        // As JSON.stringify does in arrays: undefined, functions and symbols become null.
        out(`${i > 0 ? ',\n' : ''}    ${nested(v[i], 2) ?? 'null'}`);
      }
      out('\n  ]');
      first = false;
      continue;
    }
    const s = nested(v, 1);
    if (s === undefined) continue; // omitted, as JSON.stringify omits it
    out(`${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: ${s}`);
    first = false;
  }
  out(first ? '{}\n' : '\n}\n');
}
