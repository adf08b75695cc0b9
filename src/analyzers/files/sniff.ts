// Media type of a file from its first bytes, as Zeek's file analysis names it (the signatures of
// base/frameworks/files/magic/*.sig: "application/x-dosexec" for MZ, "text/json" for JSON …),
// plus application/dicom (a DICOM Part 10 file: "DICM" after the 128-byte preamble, PS3.10 §7.1),
// which Zeek does not know. Zeek picks the strongest matching signature; the table below is in
// that order: specific binary magic first, then markup, then the weak "printable text" match.

/** Bytes a sniff looks at (Zeek's default_bof_buffer_size is 4096; 1 KiB decides every entry here). */
export const SNIFF_BYTES = 1024;

interface Magic {
  at: number;
  bytes: number[];
  mime: string;
}

const b = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) & 0xff);

const MAGIC: readonly Magic[] = [
  { at: 128, bytes: b('DICM'), mime: 'application/dicom' },
  { at: 0, bytes: b('MZ'), mime: 'application/x-dosexec' },
  { at: 0, bytes: b('\x7fELF'), mime: 'application/x-executable' },
  { at: 0, bytes: [0xca, 0xfe, 0xba, 0xbe], mime: 'application/x-java-applet' },
  { at: 0, bytes: b('%PDF'), mime: 'application/pdf' },
  { at: 0, bytes: b('PK\x03\x04'), mime: 'application/zip' },
  { at: 0, bytes: [0x1f, 0x8b], mime: 'application/x-gzip' },
  { at: 0, bytes: b('BZh'), mime: 'application/x-bzip2' },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], mime: 'application/x-xz' },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], mime: 'application/x-7z-compressed' },
  { at: 0, bytes: b('Rar!\x1a\x07'), mime: 'application/x-rar' },
  { at: 0, bytes: b('MSCF'), mime: 'application/vnd.ms-cab-compressed' },
  { at: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], mime: 'application/vnd.ms-office' },
  { at: 0, bytes: b('{\\rtf'), mime: 'text/rtf' },
  { at: 0, bytes: b('GIF87a'), mime: 'image/gif' },
  { at: 0, bytes: b('GIF89a'), mime: 'image/gif' },
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], mime: 'image/png' },
  { at: 0, bytes: [0xff, 0xd8, 0xff], mime: 'image/jpeg' },
  { at: 0, bytes: b('BM'), mime: 'image/x-ms-bmp' },
  { at: 0, bytes: [0x00, 0x00, 0x01, 0x00], mime: 'image/x-icon' },
  { at: 0, bytes: b('II*\x00'), mime: 'image/tiff' },
  { at: 0, bytes: b('MM\x00*'), mime: 'image/tiff' },
  { at: 8, bytes: b('WEBP'), mime: 'image/webp' },
  { at: 4, bytes: b('ftyp'), mime: 'video/mp4' },
  { at: 0, bytes: b('FWS'), mime: 'application/x-shockwave-flash' },
  { at: 0, bytes: b('CWS'), mime: 'application/x-shockwave-flash' },
  { at: 0, bytes: b('ZWS'), mime: 'application/x-shockwave-flash' },
  { at: 0, bytes: b('wOFF'), mime: 'application/font-woff' },
  { at: 0, bytes: b('wOF2'), mime: 'application/font-woff2' },
  { at: 0, bytes: b('ID3'), mime: 'audio/mpeg' },
  { at: 0, bytes: b('OggS'), mime: 'application/ogg' },
  { at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3], mime: 'video/webm' },
  { at: 0, bytes: b('-----BEGIN CERTIFICATE-----'), mime: 'application/x-pem' },
  { at: 0, bytes: b('MSH|'), mime: 'application/hl7-v2' },
  { at: 0, bytes: [0x0b, 0x4d, 0x53, 0x48], mime: 'application/hl7-v2' },
];

function at(buf: Uint8Array, len: number, m: Magic): boolean {
  if (m.at + m.bytes.length > len) return false;
  for (let i = 0; i < m.bytes.length; i++) if (buf[m.at + i] !== m.bytes[i]) return false;
  return true;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The first bytes as Latin-1 text (bounded), for the markup and text rules. */
function head(buf: Uint8Array, len: number): string {
  return String.fromCharCode.apply(null, buf.subarray(0, Math.min(len, SNIFF_BYTES)) as unknown as number[]);
}

const JSON_START = /^(?:\xef\xbb\xbf)?[\r\n\t ]*(?:\{[\r\n\t ]*(?:"[^"]+"|[A-Za-z][A-Za-z0-9_]*)[\r\n\t ]*:|\[[\r\n\t ]*[{["0-9tfn-])/;
const XML_START = /^(?:\xef\xbb\xbf)?(?:[\r\n\t ]*<!--[\s\S]*?-->)*[\r\n\t ]*<\?xml[\r\n\t ]/;
const HTML = /^(?:\xef\xbb\xbf)?[\s\S]{0,1000}?<(?:!DOCTYPE[\r\n\t ]+html|html|head|title|body|script|meta|iframe|div|p|h1|table)\b/i;
const SCRIPT_SHEBANG = /^#![\t ]*\/(?:usr\/)?(?:local\/)?bin\/(?:env[\t ]+)?(?:ba|z|k|da)?sh\b/;

/** Zeek's weakest signature, text/plain: the first ten bytes printable or white space. */
function isText(buf: Uint8Array, len: number): boolean {
  const start = len >= 3 && buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2] ? 3 : 0;
  if (len - start < 10) return false;
  for (let i = start; i < start + 10; i++) {
    const c = buf[i];
    if (!((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d)) return false;
  }
  return true;
}

/** The media type of a file whose first `len` bytes are `buf`, or null when nothing matches. */
export function sniffMime(buf: Uint8Array, len: number): string | null {
  if (len <= 0) return null;
  for (const m of MAGIC) if (at(buf, len, m)) return m.mime;
  if (!isText(buf, len)) return null;
  const h = head(buf, len);
  if (XML_START.test(h)) return /<svg[\s>]/i.test(h) ? 'image/svg+xml' : 'application/xml';
  if (HTML.test(h)) return 'text/html';
  if (JSON_START.test(h)) return 'text/json';
  if (SCRIPT_SHEBANG.test(h)) return 'text/x-shellscript';
  return 'text/plain';
}
