// p0f v3 HTTP request / response matching (p0f README section 5, "HTTP signatures"):
// - version must match unless the signature says '*';
// - the signature's headers must appear in the traffic in the listed order (others may sit in
//   between); a name=[value] header's value must contain that substring; a '?name' header may be
//   missing, but then it must not appear anywhere else either;
// - headers listed as absent must not appear;
// - the first specific match wins, else the first generic one. Header names compare exactly,
//   as p0f compares them. The expected software string flags dishonest User-Agent / Server values.
import { labelText, type HttpSignature, type P0fDatabase } from './p0f.js';

export interface HttpObservation {
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  ver: 0 | 1;
  /** Headers in the order received, as [name, value]. */
  headers: ReadonlyArray<readonly [string, string]>;
  isResponse: boolean;
}

export interface HttpMatch {
  label: { type: 's' | 'g'; class: string; name: string; flavor: string };
  /** "wget", "Apache 2.x", as p0f prints it. */
  app: string;
  /** OS names or @classes the application is known to run on. */
  sys: string[];
  generic: boolean;
  /** The User-Agent / Server does not contain what this software normally sends. */
  dishonest: boolean;
  line: number;
}

function matches(sig: HttpSignature, obs: HttpObservation, present: ReadonlySet<string>): boolean {
  if (sig.ver !== -1 && sig.ver !== obs.ver) return false;
  const hs = obs.headers;
  let t = 0;
  for (const spec of sig.headers) {
    const from = t;
    while (t < hs.length && hs[t][0] !== spec.name) t++;
    if (t === hs.length) {
      if (!spec.optional) return false;
      if (present.has(spec.name)) return false;
      t = from;
      continue;
    }
    if (spec.value !== undefined && !hs[t][1].includes(spec.value)) return false;
    t++;
  }
  for (const a of sig.absent) if (present.has(a)) return false;
  return true;
}

function software(obs: HttpObservation): string | undefined {
  const want = obs.isResponse ? 'Server' : 'User-Agent';
  for (const [n, v] of obs.headers) if (n === want) return v;
  return undefined;
}

function toMatch(sig: HttpSignature, obs: HttpObservation): HttpMatch {
  const sw = software(obs);
  const l = sig.label;
  return {
    label: { type: l.type, class: l.class, name: l.name, flavor: l.flavor },
    app: labelText(l),
    sys: l.sys,
    generic: sig.generic,
    dishonest: sig.sw !== undefined && sw !== undefined && !sw.includes(sig.sw),
    line: sig.line,
  };
}

/** Matches an HTTP request (or response) header block against p0f.fp; null when nothing matches. */
export function matchHttp(db: P0fDatabase, obs: HttpObservation): HttpMatch | null {
  const sec = db.http[obs.isResponse ? 1 : 0];
  const present = new Set<string>();
  for (const [n] of obs.headers) present.add(n);
  // Only signatures whose first required header is present can match.
  const cands: HttpSignature[] = [...sec.always];
  for (const name of present) {
    const list = sec.byHeader.get(name);
    if (list !== undefined) cands.push(...list);
  }
  cands.sort((a, b) => a.order - b.order);
  let generic: HttpSignature | null = null;
  for (const sig of cands) {
    if (!matches(sig, obs, present)) continue;
    if (!sig.generic) return toMatch(sig, obs);
    if (generic === null) generic = sig;
  }
  return generic === null ? null : toMatch(generic, obs);
}
