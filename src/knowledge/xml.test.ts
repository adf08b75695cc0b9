import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KnowledgeError } from './errors.js';
import { parseXml } from './xml.js';

test('parseXml() reads elements, attributes, entities and lines', () => {
  const doc = parseXml('\ufeff<?xml version="1.0"?>\n<!-- c -->\n<A x="1 &amp; 2" y=\'&#65;&#x42;&lt;\'>\n  <b/>\n  <c>t&gt;<![CDATA[<raw>]]></c>\n</A>\n', 'f.xml');
  assert.equal(doc.name, 'A');
  assert.equal(doc.line, 3);
  assert.deepEqual([...doc.attrs], [['x', '1 & 2'], ['y', 'AB<']]);
  assert.deepEqual(doc.children.map((c) => [c.name, c.line, c.text]), [['b', 4, ''], ['c', 5, 't><raw>']]);
});

function fails(text: string, line: number, detail: RegExp): void {
  assert.throws(
    () => parseXml(text, 'f.xml'),
    (e: unknown) => e instanceof KnowledgeError && e.file === 'f.xml' && e.entry.line === line && detail.test(e.detail),
  );
}

test('parseXml() refuses malformed documents with the line of the fault', () => {
  fails('<a>\n<b>\n</a>', 3, /end tag <\/a> does not close <b> from line 2/);
  fails('<a>\n<b x="1" x="2"/></a>', 2, /attribute x repeated/);
  fails('<a x=1/>', 1, /must be quoted/);
  fails('<a>\n\n', 1, /<a> is never closed/);
  fails('<a/><b/>', 1, /content after the root element/);
  fails('<a>&nbsp;</a>', 1, /unknown entity &nbsp;/);
  fails('<a>AT&T</a>', 1, /'&' that starts no entity/);
});

test('parseXml() refuses DOCTYPE declarations (no entity expansion)', () => {
  fails('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a/>', 2, /DOCTYPE/);
});
