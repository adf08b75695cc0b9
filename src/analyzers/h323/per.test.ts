// The aligned PER reader on synthetic bit patterns (written here by hand from X.691's rules, one
// per primitive); its use on real H.225.0 messages is h323.test.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIGITS_ALPHABET, PerReader, bitWidth } from './per.js';

/** Bytes from a string of bits (spaces ignored), zero-padded to whole octets. */
function bits(s: string): Uint8Array {
  const b = s.replace(/\s+/g, '');
  const out = new Uint8Array(Math.ceil(b.length / 8));
  for (let i = 0; i < b.length; i++) if (b[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

function reader(b: Uint8Array): PerReader {
  return new PerReader().reset(b, 0, b.length);
}

test('constrained() reads a bit-field for small ranges, one or two aligned octets, or a length and octets', () => {
  // INTEGER(0..6): three bits, unaligned; then INTEGER(0..255): one octet after alignment.
  let r = reader(bits('101 00000 10101110'));
  assert.equal(r.constrained(0, 6), 5);
  assert.equal(r.constrained(0, 255), 174);
  assert.ok(r.ok);
  // INTEGER(1..65535): two aligned octets holding value - 1.
  r = reader(bits('1 0000000 01000110 10010010'));
  r.bit();
  assert.equal(r.constrained(1, 65535), 18067);
  // INTEGER(0..4294967295): a two-bit octet count (here 3 octets), aligned, the octets.
  r = reader(bits('10 000000 00000011 00001101 01000000'));
  assert.equal(r.constrained(0, 4294967295), 200000);
  // A value past the range is damage.
  r = reader(bits('111'));
  r.constrained(0, 6);
  assert.equal(r.err, 'invalid');
  assert.equal(bitWidth(24), 5);
  assert.equal(bitWidth(1), 1);
});

test('reading past the end stops the reader as truncated and later reads give zero', () => {
  const r = reader(bits('1010'));
  assert.equal(r.bits(4), 0b1010);
  assert.equal(r.bits(8), 0);
  assert.equal(r.err, 'truncated');
  assert.equal(r.bit(), 0);
  assert.equal(r.octets(1), -1);
});

test('normallySmall(), length determinants and choice indices with extension', () => {
  // A small number: 0 then six bits.
  let r = reader(bits('0 000101'));
  assert.equal(r.normallySmall(), 5);
  // Length determinants: one octet under 128, two octets (10 + 14 bits) up to 16K, fragments unsupported.
  r = reader(Uint8Array.from([0x05, 0x81, 0x00, 0xc1]));
  assert.equal(r.length(), 5);
  assert.equal(r.length(), 256);
  assert.equal(r.length(), -1);
  assert.equal(r.err, 'unsupported');
  // CHOICE with 25 root alternatives and an extension marker: 0 + five bits; 1 + normally small.
  r = reader(bits('0 00011'));
  assert.equal(r.choice(25, true), 3);
  r = reader(bits('1 0 000001'));
  assert.equal(r.choice(25, true), 26);
  // Two root alternatives without an extension: one bit.
  r = reader(bits('1'));
  assert.equal(r.choice(2, false), 1);
});

test('additionBitmap() and skipAdditions() read the presence bits, then skip each open type by its length', () => {
  // Ten additions, the sixth present; its open type three octets long; then a byte 0x7f.
  const b = Uint8Array.from([...bits('0 001001 0000010000 000000'), 0x03, 0x01, 0x40, 0x00, 0x7f]);
  const r = reader(b);
  const m = r.additionBitmap()!;
  assert.deepEqual(Array.from(m), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  const t = r.openType()!;
  assert.deepEqual([t.at, t.len], [4, 3]);
  assert.equal(r.bits(8), 0x7f);
  const r2 = reader(b);
  r2.skipAdditions();
  assert.equal(r2.bits(8), 0x7f);
  assert.ok(r2.ok);
});

test('strings: BMPString with its constrained length, dialled digits skipped by count, OCTET STRING sizes, OBJECT IDENTIFIER', () => {
  // BMPString(SIZE(1..128)): seven-bit length (n - 1), aligned, 16 bits a character.
  let r = reader(Uint8Array.from([...bits('0000001 0'), 0x00, 0x61, 0x00, 0x6d]));
  assert.equal(r.bmpString(1, 128), 'am');
  // BMPString(SIZE(1..256)): the length is one aligned octet.
  r = reader(Uint8Array.from([0x00, 0x00, 0x41]));
  assert.equal(r.bmpString(1, 256), 'A');
  // dialledDigits "17": length 1..128 (seven bits, value 1), aligned, two four-bit indices into
  // the canonical alphabet ('1' is index 4, '7' index 10); only the count comes back.
  assert.equal(DIGITS_ALPHABET.indexOf('1'), 4);
  r = reader(Uint8Array.from([...bits('0000001 0'), 0x4a, 0xff]));
  assert.equal(r.skipIndexedString(1, 128, 4), 2);
  assert.equal(r.bits(8), 0xff);
  // OCTET STRING(SIZE(4)): aligned, no length; SIZE(2): an unaligned bit-field.
  r = reader(Uint8Array.from([0x80, 10, 0, 0, 1]));
  r.bit();
  assert.deepEqual(r.octetString(4, 4), { at: 1, len: 4 });
  r = reader(bits('1 00000000 00000000 1'));
  r.bit();
  assert.equal(r.octetString(2, 2)!.len, 2);
  assert.equal(r.bits(1), 1);
  // OCTET STRING(SIZE(1..256)) shorter than its lower bound cannot be: the length is value - 1.
  r = reader(Uint8Array.from([0x02, 0x41, 0x42, 0x43]));
  assert.deepEqual(r.octetString(1, 256), { at: 1, len: 3 });
  // H.225.0 version 4's protocol identifier, and an empty OID (damage).
  r = reader(Uint8Array.from([0x06, 0x00, 0x08, 0x91, 0x4a, 0x00, 0x04]));
  assert.equal(r.oid(), '0.0.8.2250.0.4');
  r = reader(Uint8Array.from([0x00]));
  assert.equal(r.oid(), null);
  assert.equal(r.err, 'invalid');
});
