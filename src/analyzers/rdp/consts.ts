// Names rdp.log uses for RDP codes, spelled as Zeek's base/protocols/rdp shows them so logs line
// up: client builds (mstsc versions), negotiation protocols and failures (MS-RDPBCGR §2.2.1.1.1,
// §2.2.1.2.2), encryption methods/levels (§2.2.1.4.3), GCC results (T.124) and keyboard
// layouts (Windows language identifiers, [MS-LCID]).

export const BUILDS: Record<number, string> = {
  419: 'RDP 4.0',
  2195: 'RDP 5.0',
  2221: 'RDP 5.0',
  2600: 'RDP 5.1',
  3790: 'RDP 5.2',
  6000: 'RDP 6.0',
  6001: 'RDP 6.1',
  6002: 'RDP 6.2',
  7600: 'RDP 7.0',
  7601: 'RDP 7.1',
  9200: 'RDP 8.0',
  9600: 'RDP 8.1',
  25189: 'RDP 8.0 (Mac)',
  25282: 'RDP 8.0 (Mac)',
};

export const SECURITY_PROTOCOLS: Record<number, string> = { 0: 'RDP', 1: 'SSL', 2: 'HYBRID', 4: 'RDSTLS', 8: 'HYBRID_EX', 16: 'RDSAAD' };

export const FAILURE_CODES: Record<number, string> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

export const CERT_TYPES: Record<number, string> = { 1: 'RSA', 2: 'X.509' };

export const ENCRYPTION_METHODS: Record<number, string> = { 0: 'None', 1: '40bit', 2: '128bit', 8: '56bit', 16: 'FIPS' };

export const ENCRYPTION_LEVELS: Record<number, string> = { 0: 'None', 1: 'Low', 2: 'Client compatible', 3: 'High', 4: 'FIPS' };

export const HIGH_COLOR_DEPTHS: Record<number, string> = { 4: '4bit', 8: '8bit', 15: '15bit', 16: '16bit', 24: '24bit' };

export const GCC_RESULTS: Record<number, string> = {
  0: 'Success',
  1: 'User rejected',
  2: 'Resources not available',
  3: 'Rejected for symmetry breaking',
  4: 'Locked conference',
};

/** Keyboard layouts by language identifier (low 16 bits of the layout id). */
export const LANGUAGES: Record<number, string> = {
  0x0401: 'Arabic - Saudi Arabia',
  0x0402: 'Bulgarian',
  0x0403: 'Catalan',
  0x0404: 'Chinese - Taiwan',
  0x0405: 'Czech',
  0x0406: 'Danish',
  0x0407: 'German - Germany',
  0x0408: 'Greek',
  0x0409: 'English - United States',
  0x040a: 'Spanish - Spain (Traditional Sort)',
  0x040b: 'Finnish',
  0x040c: 'French - France',
  0x040d: 'Hebrew',
  0x040e: 'Hungarian',
  0x040f: 'Icelandic',
  0x0410: 'Italian - Italy',
  0x0411: 'Japanese',
  0x0412: 'Korean',
  0x0413: 'Dutch - Netherlands',
  0x0414: 'Norwegian (Bokmal)',
  0x0415: 'Polish',
  0x0416: 'Portuguese - Brazil',
  0x0418: 'Romanian',
  0x0419: 'Russian',
  0x041a: 'Croatian',
  0x041b: 'Slovak',
  0x041c: 'Albanian - Albania',
  0x041d: 'Swedish',
  0x041e: 'Thai',
  0x041f: 'Turkish',
  0x0420: 'Urdu',
  0x0421: 'Indonesian',
  0x0422: 'Ukrainian',
  0x0423: 'Belarusian',
  0x0424: 'Slovenian',
  0x0425: 'Estonian',
  0x0426: 'Latvian',
  0x0427: 'Lithuanian',
  0x0429: 'Farsi',
  0x042a: 'Vietnamese',
  0x042b: 'Armenian - Armenia',
  0x042d: 'Basque',
  0x042f: 'FYRO Macedonian',
  0x0436: 'Afrikaans - South Africa',
  0x0437: 'Georgian',
  0x0438: 'Faroese',
  0x0439: 'Hindi',
  0x043e: 'Malay - Malaysia',
  0x043f: 'Kazakh',
  0x0441: 'Swahili',
  0x0443: 'Uzbek (Latin)',
  0x0445: 'Bengali (India)',
  0x0446: 'Punjabi',
  0x0447: 'Gujarati',
  0x0449: 'Tamil',
  0x044a: 'Telugu',
  0x044b: 'Kannada',
  0x044e: 'Marathi',
  0x0456: 'Galician',
  0x045a: 'Syriac',
  0x0464: 'Filipino',
  0x0804: "Chinese - People's Republic of China",
  0x0807: 'German - Switzerland',
  0x0809: 'English - United Kingdom',
  0x080a: 'Spanish - Mexico',
  0x080c: 'French - Belgium',
  0x0810: 'Italian - Switzerland',
  0x0813: 'Dutch - Belgium',
  0x0814: 'Norwegian (Nynorsk)',
  0x0816: 'Portuguese - Portugal',
  0x081a: 'Serbian (Latin)',
  0x081d: 'Swedish - Finland',
  0x0c04: 'Chinese - Hong Kong SAR',
  0x0c07: 'German - Austria',
  0x0c09: 'English - Australia',
  0x0c0a: 'Spanish - Spain (Modern Sort)',
  0x0c0c: 'French - Canada',
  0x0c1a: 'Serbian (Cyrillic)',
  0x1004: 'Chinese - Singapore',
  0x1007: 'German - Luxembourg',
  0x1009: 'English - Canada',
  0x100c: 'French - Switzerland',
  0x1409: 'English - New Zealand',
  0x1809: 'English - Ireland',
  0x1c09: 'English - South Africa',
  0x2009: 'English - Jamaica',
  0x2809: 'English - Belize',
  0x2c0a: 'Spanish - Argentina',
  0x4009: 'English - India',
  0x4809: 'English - Singapore',
  // Layout variants (high word set) that Windows offers for US English.
  0x10409: 'English - United States (Dvorak)',
  0x20409: 'English - United States (International)',
};

/** Zeek's rendering of a keyboard layout id, including its "Best Guess" fallback. */
export function keyboardLayout(id: number): string {
  const exact = LANGUAGES[id];
  if (exact !== undefined) return exact;
  const lang = LANGUAGES[id & 0xffff];
  return lang !== undefined ? `${lang} (Best Guess for ${id})` : `keyboard-${id}`;
}

export function named(table: Record<number, string>, v: number, prefix: string): string {
  return table[v] ?? `${prefix}-${v}`;
}
