import * as fc from 'fast-check';
import {
  kqlString, logsInsightsString, ociLogStream, ociString, sqlIdentifier, sqlString,
} from '../../lib/investigation/escape';

/** Reads back a backslash-escaped double-quoted literal at the start of `text`; returns [value, rest]. */
function readBackslashQuoted(text: string): [string, string] {
  expect(text[0]).toBe('"');
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { value += text[++i]; continue; }
    if (c === '"') return [value, text.slice(i + 1)];
    value += c;
  }
  throw new Error(`unterminated literal: ${text}`);
}

/** Reads back a SQL literal/identifier quoted with `q` and the quote doubled inside. */
function readDoubled(text: string, q: string): [string, string] {
  expect(text[0]).toBe(q);
  let value = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] === q) {
      if (text[i + 1] === q) { value += q; i++; continue; }
      return [value, text.slice(i + 1)];
    }
    value += text[i];
  }
  throw new Error(`unterminated literal: ${text}`);
}

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

describe('query literals cannot be escaped from', () => {
  test('Logs Insights and KQL strings read back as exactly the value, with nothing after them', () => {
    fc.assert(fc.property(printable, (value) => {
      for (const quote of [logsInsightsString, kqlString]) {
        const [read, rest] = readBackslashQuoted(quote(value));
        expect(read).toBe(value);
        expect(rest).toBe('');
      }
    }));
  });

  test('SQL strings and identifiers read back as exactly the value', () => {
    fc.assert(fc.property(printable, (value) => {
      const [read, rest] = readDoubled(sqlString(value), "'");
      expect(read).toBe(value);
      expect(rest).toBe('');
    }));
    expect(sqlIdentifier('audit.cloud"trail')).toBe('"audit"."cloud""trail"');
  });

  test('GIVEN an injection attempt WHEN quoted THEN it stays inside the literal', () => {
    expect(logsInsightsString('x" or 1=1 | limit 5 #')).toBe('"x\\" or 1=1 | limit 5 #"');
    expect(kqlString('x" | union SecurityEvent //')).toBe('"x\\" | union SecurityEvent //"');
    expect(sqlString("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
  });

  test('OCI values that could end a literal are refused, not guessed', () => {
    expect(ociString('ocid1.compartment.oc1..aaaa')).toBe("'ocid1.compartment.oc1..aaaa'");
    expect(() => ociString("billing' or 1=1")).toThrow(/DS-PACK-021.*cannot be placed in an OCI Logging query safely/);
    expect(() => ociString('a\\b')).toThrow(/DS-PACK-021/);
    expect(() => ociLogStream('ocid1" | x', '_Audit')).toThrow(/DS-PACK-021/);
  });

  test('control characters are refused in every language', () => {
    expect(() => logsInsightsString('a\nb')).toThrow(/DS-PACK-020.*control character/);
    expect(() => sqlString('a\u0000')).toThrow(/DS-PACK-020/);
    expect(() => kqlString('a\rb')).toThrow(/DS-PACK-020/);
  });
});
