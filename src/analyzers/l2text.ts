// Text forms shared by the link-layer analyzers (ARP, LLDP, CDP): MAC and IP addresses read
// from bytes, and printable strings with control octets escaped.

export function macAt(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + buf[off + i].toString(16).padStart(2, '0');
  return s;
}

export function ipv4At(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 text of a 16-octet IPv6 address. */
export function ipv6At(buf: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((buf[off + 2 * i] << 8) | buf[off + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = (a: number, b: number): string => g.slice(a, b).map((x) => x.toString(16)).join(':');
  return bestStart < 0 ? h(0, 8) : `${h(0, bestStart)}::${h(bestStart + bestLen, 8)}`;
}

/** Printable text of a string field; other octets become \xNN; trailing NULs and spaces go. */
export function printable(buf: Uint8Array, off: number, end: number, max = 512): string {
  let s = '';
  const stop = Math.min(end, off + max);
  for (let i = off; i < stop; i++) {
    const b = buf[i];
    if (b === 0x0a || b === 0x0d || b === 0x09) s += b === 0x09 ? '\t' : '\n';
    else s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s.replace(/(\\x00|\s)+$/, '').replace(/\r?\n/g, '\n');
}
