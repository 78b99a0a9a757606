/**
 * Text the XML escapes let through must be XML 1.0 that a real parser reads back to the
 * same string (control characters aside, which are shown escaped): every character below
 * U+0020, markup, quotes, line breaks in attributes, lone surrogates, U+FFFE.
 */
import { expect, test } from "bun:test";
import { xmlAttribute, xmlSafe, xmlText } from "./xml-text.ts";

const hostile = `a<b>&c"d'e]]>f\r\ng\th ${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("")} \uD800 x \uDC00 \uFFFE\uFFFF 😀 é`;

/** What python3's ElementTree reads from `<r a="…">…</r>`: [attribute, text]. */
async function parsed(attribute: string, text: string): Promise<[string, string]> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><r a="${attribute}">${text}</r>`;
  const script =
    "import json,sys,xml.etree.ElementTree as ET\nr=ET.fromstring(sys.stdin.buffer.read())\nprint(json.dumps([r.get('a'), r.text]))";
  const child = Bun.spawn(["python3", "-c", script], {
    stdin: new TextEncoder().encode(xml),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(err);
  return JSON.parse(out) as [string, string];
}

test("a real parser reads the escaped text back: markup and line breaks exact, what XML cannot hold shown escaped", async () => {
  const expected = xmlSafe(hostile);
  expect(expected).toContain("\\x00\\x01");
  expect(expected).toContain("\\x1b");
  expect(expected).toContain("\t\n\\x0b\\x0c\r\\x0e");
  expect(expected).toContain(" \\ud800 x \\udc00 \\ufffe\\uffff 😀 é");
  const [attribute, text] = await parsed(xmlAttribute(hostile), xmlText(hostile));
  expect(attribute).toBe(expected);
  expect(text).toBe(expected);
});
