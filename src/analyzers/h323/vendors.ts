// Makers of H.323 equipment by the H.221 non-standard identifier of their VendorIdentifier
// (H.225.0 §7.9; H.245 H221NonStandard): a T.35 country code (ITU-T T.35 Annex A: 181 is the
// United States, 130 Norway, 9 Australia), its extension, and the manufacturer code the
// country's administration assigned (in the United States, TIA). Only identities whose maker is
// certain are listed; any other stays a number ("174/1/61") in the log and the inventory.
const MANUFACTURERS: Readonly<Record<string, string>> = {
  '181/0/1': 'PictureTel',
  '181/0/18': 'Cisco',
  '181/0/21': 'RADVision',
  // 0x2331: Polycom's code, first registered for its ViaVideo.
  '181/0/9009': 'Polycom',
  // 0x4156, "AV".
  '181/0/16726': 'Avaya',
  // 0x534c: NetMeeting's.
  '181/0/21324': 'Microsoft',
  // Equivalence Pty's OpenH323 library (and the applications built on it).
  '9/0/61': 'Equivalence (OpenH323)',
  // A Tandberg codec's own RRQ (nDPI's capture: productId "Tandberg" and a Tandberg MAC).
  '130/1/256': 'Tandberg',
};

export function t35Key(country: number, extension: number, manufacturer: number): string {
  return `${country}/${extension}/${manufacturer}`;
}

export function manufacturerOf(t35: string): string | undefined {
  return MANUFACTURERS[t35];
}
