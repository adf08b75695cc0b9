import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadIeee } from './ieee.js';
import { loadManuf } from './manuf.js';
import { macKind, parseMac, VendorIndex } from './vendor.js';
import { KB_DIR } from './testutil.js';

const idx = new VendorIndex(loadIeee(join(KB_DIR, 'ieee-data')), loadManuf(join(KB_DIR, 'wireshark')));
const v = (mac: string) => idx.vendorOf(parseMac(mac)!);

test('vendorOf() names the MA-L owner with its Wireshark short name', () => {
  assert.deepEqual(v('00:00:0c:12:34:56'), { name: 'Cisco Systems, Inc', short: 'Cisco', registry: 'MA-L', bits: 24, source: 'ieee' });
});

test('vendorOf() prefers the 36-bit MA-S and IAB blocks and the 28-bit MA-M block to the RA OUI', () => {
  // 70:B3:D5 is "IEEE Registration Authority" in oui.csv; 70B3D5F2F is an MA-S assignment.
  assert.deepEqual(v('70:b3:d5:f2:f1:23'), { name: 'TELEPLATFORMS', short: 'Teleplat', registry: 'MA-S', bits: 36, source: 'ieee' });
  assert.deepEqual(v('00:50:c2:7d:51:23'), { name: 'DEUTA-WERKE GmbH', short: 'DEUTA-WE', registry: 'IAB', bits: 36, source: 'ieee' });
  assert.deepEqual(v('20:85:93:b1:23:45'), { name: 'IOG Products LLC', short: 'IOGProdu', registry: 'MA-M', bits: 28, source: 'ieee' });
});

test('vendorOf() takes assignments newer than the IEEE copy from manuf', () => {
  // 00:2B:70 was assigned after the 2022 IEEE files; Wireshark 4.0.17's manuf (2024) has it.
  assert.deepEqual(v('00:2b:70:00:00:01'), { name: 'Samsung Electronics Co.,Ltd', short: 'SamsungE', registry: 'MA-L', bits: 24, source: 'manuf' });
  // An MA-M block manuf knows under an OUI the IEEE copy lists only for the RA.
  assert.deepEqual(v('00:8d:f4:01:02:03'), { name: 'Sensata Technologies', short: 'SensataT', registry: 'MA-M', bits: 28, source: 'manuf' });
});

test('vendorOf() gives no vendor for locally administered, broadcast or unassigned addresses', () => {
  // manuf still lists 02:60:8C as 3Com, but the U/L bit says no registry assigned it: today such
  // addresses are randomised private MACs.
  assert.equal(v('02:60:8c:12:34:56'), null);
  assert.equal(v('da:a1:19:00:00:01'), null);
  assert.equal(v('ff:ff:ff:ff:ff:ff'), null);
  assert.equal(idx.vendorOf(-1), null);
  assert.equal(idx.vendorOf(2 ** 48), null);
  assert.equal(idx.vendorOf(1.5), null);
});

test('vendorOf() names the OUI owner of a group address', () => {
  assert.equal(v('01:00:5e:00:00:fb')?.name, 'ICANN, IANA Department');
  // PROFINET multicast: manuf's own 01:0E:CF entry gives the short name.
  assert.deepEqual(v('01:0e:cf:00:00:00'), { name: 'PROFIBUS Nutzerorganisation e.V.', short: 'PN-MC', registry: 'MA-L', bits: 24, source: 'ieee' });
});

test('macKind() reads the I/G and U/L bits', () => {
  assert.equal(macKind(parseMac('00:00:0c:00:00:01')!), 'universal');
  assert.equal(macKind(parseMac('02:00:00:00:00:01')!), 'local');
  assert.equal(macKind(parseMac('33:33:00:00:00:01')!), 'multicast');
  assert.equal(macKind(parseMac('ff:ff:ff:ff:ff:ff')!), 'broadcast');
  assert.equal(parseMac('00:00:0c:00:00'), null);
});
