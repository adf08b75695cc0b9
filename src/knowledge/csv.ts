// Minimal CSV reader for RFC 4180 files (the IEEE registries): comma separated, fields optionally
// in double quotes, "" inside quotes is a quote, quoted fields may span lines, CRLF or LF.
// Each record carries the line it starts on so validators can point at it.
import { malformed } from './errors.js';

export interface CsvRecord {
  line: number;
  fields: string[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const BOM = 0xfeff;

/** Parses `text` into records; throws a KnowledgeError naming `file` on an unterminated quote. */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  const n = text.length;
  let line = 1;
  // Position of the next quote character, found once and reused while it lies ahead.
  let nextQuote = -1;
  while (i < n) {
    const start = line;
    // Fast path: a line without quotes is split on commas.
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = n;
    if (nextQuote !== n && nextQuote < i) {
      nextQuote = text.indexOf('"', i);
      if (nextQuote < 0) nextQuote = n;
    }
    if (nextQuote > eol) {
      const raw = text.slice(i, eol > i && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol);
      i = eol + 1;
      line++;
      if (raw.length > 0) out.push({ line: start, fields: raw.split(',') });
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let buf = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw malformed(file, { line: start }, 'quoted field is never closed');
          const chunk = text.slice(j, q);
          for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === LF) line++;
          buf += chunk;
          if (text.charCodeAt(q + 1) === QUOTE) {
            buf += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        value = buf;
        const c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== CR && c !== LF) {
          throw malformed(file, { line: start }, 'text after a closing quote');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === CR || c === LF) break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    line++;
    // A blank line is no record (a trailing newline, or padding some tools add).
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
  }
  return out;
}
