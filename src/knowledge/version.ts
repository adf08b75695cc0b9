// Version strings as vulnerability feeds write them ("1.0.1g", "10.0.17763.2029", "9.1.7(9)",
// "v100r002c00", "012U000062", "A.03.09"): compared token by token, numbers numerically and
// letters alphabetically (case-insensitive), so 1.0.1 < 1.0.1a < 1.0.1g < 1.0.2. A version whose
// trailing components are unknown (a Windows build without its revision) is `partial`: a
// comparison that depends on what it lacks is undecided rather than guessed.

export type VersionToken = number | string;

/** Splits a version into numeric and alphabetic runs; separators (. - _ ( ) space / +) vanish. */
export function versionTokens(v: string): VersionToken[] {
  const out: VersionToken[] = [];
  const re = /(\d+)|([A-Za-z]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v)) !== null) out.push(m[1] !== undefined ? Number(m[1]) : m[2].toLowerCase());
  return out;
}

/** -1, 0 or 1; null when `a` is partial and the answer depends on components it lacks. */
export function compareVersions(a: string, b: string, aPartial = false): -1 | 0 | 1 | null {
  const x = versionTokens(a);
  const y = versionTokens(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    if (typeof p === 'string' && typeof q === 'string') return p < q ? -1 : 1;
    // A number sorts after letters at the same place: 1.0-beta < 1.0.1.
    return typeof p === 'number' ? 1 : -1;
  }
  if (x.length === y.length) return 0;
  if (x.length < y.length) return aPartial ? null : -1;
  return 1;
}

/** A version range as NVD and CVE 5 write it; absent bounds are open. */
export interface VersionRange {
  startIncluding?: string;
  startExcluding?: string;
  endIncluding?: string;
  endExcluding?: string;
}

export function hasBounds(r: VersionRange): boolean {
  return r.startIncluding !== undefined || r.startExcluding !== undefined || r.endIncluding !== undefined || r.endExcluding !== undefined;
}

/** true/false when decided, null when `partial` leaves it open. */
export function inRange(version: string, r: VersionRange, partial = false): boolean | null {
  let undecided = false;
  const check = (bound: string | undefined, ok: (c: number) => boolean): boolean => {
    if (bound === undefined) return true;
    const c = compareVersions(version, bound, partial);
    if (c === null) {
      undecided = true;
      return true;
    }
    return ok(c);
  };
  if (!check(r.startIncluding, (c) => c >= 0)) return false;
  if (!check(r.startExcluding, (c) => c > 0)) return false;
  if (!check(r.endIncluding, (c) => c <= 0)) return false;
  if (!check(r.endExcluding, (c) => c < 0)) return false;
  return undecided ? null : true;
}

/** Human text of a range: ">= 1.0.1, < 1.0.1g". */
export function describeRange(r: VersionRange): string {
  const parts: string[] = [];
  if (r.startIncluding !== undefined) parts.push(`>= ${r.startIncluding}`);
  if (r.startExcluding !== undefined) parts.push(`> ${r.startExcluding}`);
  if (r.endIncluding !== undefined) parts.push(`<= ${r.endIncluding}`);
  if (r.endExcluding !== undefined) parts.push(`< ${r.endExcluding}`);
  return parts.join(', ');
}
