// Vendor and product names as different sources spell them ("Becton, Dickinson and Company (BD)",
// "BD", "bd" in CPE; "B. Braun Medical" and "bbraun"; "Philips Medical Systems Nederland B.V.")
// reduced to comparable keys: one vendor key, and product word sets without generic words.

/** Corporate and generic words that never distinguish a vendor. */
const VENDOR_NOISE = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llc', 'gmbh', 'ag', 'sa', 'bv', 'b', 'v', 'nv', 'plc', 'kg', 'spa', 'srl', 'the', 'and', 'of', 'medical', 'healthcare', 'health', 'care', 'systems', 'system', 'solutions', 'technologies', 'technology', 'international', 'group', 'holdings', 'electronics', 'nederland', 'deutschland', 'usa', 'america', 'north', 'se', 'oy', 'ab', 'as', 'kk', 'pty']);

/** Spellings of one vendor, by their first significant word (or the whole key). */
const VENDOR_ALIASES: Record<string, string> = {
  becton: 'bd',
  bd: 'bd',
  carefusion: 'bd',
  'b braun': 'bbraun',
  bbraun: 'bbraun',
  braun: 'bbraun',
  'hill rom': 'hillrom',
  hillrom: 'hillrom',
  'welch allyn': 'hillrom',
  'general electric': 'ge',
  ge: 'ge',
  gehealthcare: 'ge',
  'siemens healthineers': 'siemens',
  smiths: 'smiths',
  'smiths medical': 'smiths',
  microsoft: 'microsoft',
  philips: 'philips',
  koninklijke: 'philips',
  'fresenius kabi': 'fresenius',
  'icu medical': 'icumedical',
};

function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[™®©]|â„¢|â€™/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
}

/** One key per vendor: "Becton Dickinson & Co" → "bd", "smiths-medical" → "smiths". */
export function vendorKey(name: string): string {
  const all = words(name);
  const two = all.slice(0, 2).join(' ');
  if (VENDOR_ALIASES[two] !== undefined) return VENDOR_ALIASES[two];
  const w = all.filter((x) => !VENDOR_NOISE.has(x));
  if (w.length === 0) return all.join('');
  const sig2 = w.slice(0, 2).join(' ');
  if (VENDOR_ALIASES[sig2] !== undefined) return VENDOR_ALIASES[sig2];
  return VENDOR_ALIASES[w[0]] ?? w[0];
}

/** Words that name a kind of thing, not a product. */
const PRODUCT_NOISE = new Set(['the', 'and', 'for', 'with', 'of', 'software', 'firmware', 'system', 'systems', 'device', 'devices', 'series', 'model', 'models', 'all', 'versions', 'version', 'family', 'product', 'products', 'patient', 'medical', 'unit', 'units', 'application', 'suite']);

/** Significant words of a product name, without the vendor's own words. */
export function productWords(name: string, vendor = ''): string[] {
  const v = new Set(words(vendor));
  const out: string[] = [];
  for (const w of words(name)) {
    if (PRODUCT_NOISE.has(w) || v.has(w) || out.includes(w)) continue;
    // Plural and singular alike: "monitors" ~ "monitor", "pumps" ~ "pump".
    out.push(w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return out;
}

/**
 * Does a device's product name denote the advisory's product? Yes when every significant word
 * of one is among the other's (so "Alaris 8015" matches "Alaris PC Unit 8015" is not claimed,
 * but "Alaris PC Unit" matches "BD Alaris PC Unit Model 8015").
 */
export function sameProduct(device: string, advisory: string, vendor = ''): boolean {
  const a = productWords(device, vendor);
  const b = productWords(advisory, vendor);
  if (a.length === 0 || b.length === 0) return false;
  const inB = a.every((w) => b.includes(w));
  const inA = b.every((w) => a.includes(w));
  return inA || inB;
}

/** A CPE-style product key: "IntelliVue MX800" → "intellivue_mx800". */
export function cpeKey(name: string): string {
  return words(name).join('_');
}
