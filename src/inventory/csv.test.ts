// inventoryCsv() and inventoryTable() on synthetic devices (format tests: no capture needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Device } from '../report/model.js';
import { inventoryCsv } from './csv.js';
import { inventoryTable } from './table.js';

function device(over: Partial<Device>): Device {
  return {
    id: 'mac:00:11:22:33:44:55',
    mac: '00:11:22:33:44:55',
    ips: ['10.0.0.5'],
    hostnames: [],
    vendor: null,
    model: null,
    category: 'unknown',
    category_reason: 'no classification rule matched',
    medical: false,
    os: null,
    software: [],
    services: [],
    protocols: [],
    risk: { score: 0, level: 'low', factors: [] },
    evidence: [],
    confidence: 0,
    ...over,
  };
}

test('inventoryCsv() writes RFC 4180 rows with the issue columns, quoting and formula guards', () => {
  const csv = inventoryCsv([
    device({ hostnames: ['=HYPERLINK("x")', 'pc, "two"'], vendor: 'Cisco Systems, Inc', category: 'imaging', medical: true, os: { name: 'Windows 7', version: '6.1.7601', family: 'Windows', eol: true, eol_date: '2020-01-14' }, confidence: 0.876 }),
    device({ id: 'ip:10.1.2.3', mac: null, ips: ['10.1.2.3', '10.1.2.4'] }),
  ]);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'device,mac,ips,hostnames,vendor,model,category,medical,os,os_version,eol,confidence');
  assert.equal(lines[1], 'mac:00:11:22:33:44:55,00:11:22:33:44:55,10.0.0.5,"\'=HYPERLINK(""x""); pc, ""two""","Cisco Systems, Inc",,imaging,true,Windows 7,6.1.7601,yes (2020-01-14),0.88');
  assert.equal(lines[2], 'ip:10.1.2.3,,10.1.2.3; 10.1.2.4,,,,unknown,false,,,,0.00');
  assert.equal(lines[3], '');
});

test('inventoryTable() lists medical devices first and marks end-of-life systems', () => {
  const t = inventoryTable([device({ id: 'mac:a', category: 'workstation' }), device({ id: 'mac:b', ips: ['10.0.0.9'], category: 'pacs', medical: true, os: { name: 'Windows XP', version: '5.1', family: 'Windows', eol: true, eol_date: '2014-04-08' } })]);
  const rows = t.split('\n');
  assert.match(rows[0], /^DEVICE\s+VENDOR\s+CATEGORY\s+OS\s+CONF$/);
  assert.match(rows[1], /^10\.0\.0\.9\s+-\s+pacs\*\s+Windows XP \(EOL\)/);
  assert.match(rows[2], /workstation/);
  assert.match(inventoryTable([device({}), device({})], 1), /… 1 more devices in report\.json/);
});
