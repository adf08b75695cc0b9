// Vendor default credentials: DefaultCreds-Cheat-Sheet.csv (ihebski/DefaultCreds-cheat-sheet),
// three columns `productvendor,username,password`, `<blank>` for an empty field. A product may
// end with the service in parentheses ("APC SmartSlot (snmp)", "Apache Tomcat (web)"), which
// limits where the pair is a default. These are published defaults, not secrets of the user;
// observed passwords are only ever compared with them through keyed digests (assess/observe.ts).
import { malformed } from './errors.js';
import { parseCsv } from './csv.js';
import { readFeedText } from './files.js';
import { vendorKey } from './names.js';

export const DEFAULTCREDS_FILE = 'DefaultCreds-Cheat-Sheet.csv';
const HEADER = ['productvendor', 'username', 'password'];
const BLANK = '<blank>';

/** Service hints in product names → the protocol names wardline's analyzers use. */
const SERVICE_HINTS: Record<string, string[]> = {
  web: ['http'],
  http: ['http'],
  https: ['http'],
  snmp: ['snmp'],
  telnet: ['telnet'],
  ssh: ['ssh'],
  ftp: ['ftp'],
  mssql: ['tds', 'mssql'],
  postgres: ['postgresql'],
  mysql: ['mysql'],
  redis: ['redis'],
  vnc: ['rfb', 'vnc'],
  rdp: ['rdp'],
};

export interface DefaultCredential {
  product: string;
  vendorKey: string;
  /** '' for none. */
  user: string;
  password: string;
  /** Protocols the pair is a default for; empty when the list does not say. */
  services: string[];
  line: number;
}

export function isDefaultCredsCsv(text: string): boolean {
  const first = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0].trim().toLowerCase();
  return first === HEADER.join(',');
}

export function parseDefaultCreds(text: string, file: string): DefaultCredential[] {
  const rows = parseCsv(text, file);
  if (rows.length === 0 || rows[0].fields.map((f) => f.trim().toLowerCase()).join(',') !== HEADER.join(',')) {
    throw malformed(file, { line: 1 }, `header must be ${HEADER.join(',')}`);
  }
  const out: DefaultCredential[] = [];
  for (const r of rows.slice(1)) {
    if (r.fields.length !== 3) throw malformed(file, { line: r.line }, `expected 3 fields, found ${r.fields.length}`);
    const [product, user, password] = r.fields.map((f) => f.trim());
    if (product.length === 0) throw malformed(file, { line: r.line }, 'productvendor is empty');
    const services: string[] = [];
    const hint = /\(([^()]*)\)\s*$/.exec(product);
    if (hint !== null) {
      for (const w of hint[1].toLowerCase().split(/[\s,/:]+/)) for (const s of SERVICE_HINTS[w] ?? []) if (!services.includes(s)) services.push(s);
    }
    out.push({ product, vendorKey: vendorKey(product.replace(/\([^()]*\)\s*$/, '')), user: user === BLANK ? '' : user, password: password === BLANK ? '' : password, services, line: r.line });
  }
  return out;
}

export function loadDefaultCreds(dir: string): DefaultCredential[] {
  const { text, file } = readFeedText(dir, DEFAULTCREDS_FILE);
  return parseDefaultCreds(text, file);
}
