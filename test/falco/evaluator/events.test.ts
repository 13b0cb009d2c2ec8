import * as fc from 'fast-check';
import { EventsFileError, parseArrayElements, parseArrayOfLines, parseEventsText } from '../../../lib/falco/evaluator/events';

describe('reading events files', () => {
  it('GIVEN a JSON array WHEN elements hold brackets, commas and quotes in strings THEN each event keeps the line it starts on', () => {
    const text = [
      '[',
      '  {"proc.cmdline": "sh -c \'[a, b]\' \\"}{\\"", "evt.type": "execve"},',
      '',
      '  {"proc.env": {"list": [1, [2, 3]]}, "evt.type": "open"}, {"evt.type": "close"}',
      ']',
    ].join('\n');
    const events = parseEventsText(text, 'e.json');
    expect(events.map((e) => [e.line, e.event['evt.type']])).toEqual([[2, 'execve'], [4, 'open'], [4, 'close']]);
    expect(events[0].event['proc.cmdline']).toBe('sh -c \'[a, b]\' "}{"');
  });

  it('GIVEN a JSON array WHEN a string ends in escaped backslashes THEN the string still ends at its quote', () => {
    // JSON text: "C:\\" (one backslash, escaped) and "\\\"]" (a backslash, a quote and a bracket)
    const text = ['[{"fd.name": "C:\\\\", "evt.type": "open"},', ' {"proc.cmdline": "\\\\\\"]", "evt.type": "execve"},', '  7]'].join('\n');
    expect(() => parseEventsText(text, 'e.json')).toThrow(/^e\.json:3:3: error EVENTS_NOT_OBJECT /);
    const events = parseEventsText(text.replace('  7]', ' {"evt.type": "close"}]'), 'e.json');
    expect(events.map((e) => [e.line, e.event['evt.type']])).toEqual([[1, 'open'], [2, 'execve'], [3, 'close']]);
    expect(events.map((e) => e.event['fd.name'] ?? e.event['proc.cmdline'])).toEqual(['C:\\', '\\"]', undefined]);
  });

  it('GIVEN a JSON array over many lines WHEN an element is not an object THEN the error names its line and column', () => {
    const text = ['[', '  {"evt.type": "open", "fd.name": "a\\n[b,"},', '', '    "text"', ']'].join('\n');
    expect(() => parseEventsText(text, 'e.json')).toThrow(/^e\.json:4:5: error EVENTS_NOT_OBJECT /);
  });

  it('reads JSON lines, skipping blank lines, with CRLF endings', () => {
    const events = parseEventsText('{"evt.type": "open"}\r\n\r\n{"evt.type": "close"}\r\n', 'e.jsonl');
    expect(events.map((e) => [e.line, e.event['evt.type']])).toEqual([[1, 'open'], [3, 'close']]);
  });

  it('reads one pretty-printed object, e.g. an audit EventList, as its items', () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ kind: 'Event', auditID: 'a' }, { kind: 'Event', auditID: 'b' }] };
    const events = parseEventsText(`\n${JSON.stringify(list, null, 2)}\n`, 'audit.json');
    expect(events.map((e) => [e.line, e.event.auditID])).toEqual([[2, 'a'], [2, 'b']]);
  });

  it('points at the offending character, with a message free of the whole text', () => {
    expect(() => parseEventsText('{"x.a": 1}\n  {"x.a": }\n', 'e.jsonl')).toThrow(/^e\.jsonl:2:11: error EVENTS_BAD_JSON invalid JSON on this line .*: Unexpected token '}'$/);
    expect(() => parseEventsText('[{"x.a": 1}, {"x.b": tru}]', 'e.json')).toThrow(/^e\.json:1:22: error EVENTS_BAD_JSON/);
  });

  it.each([
    ['an array with a trailing comma', `[\n${'  {"proc.env": "TOKEN=s3cr3t"},\n'.repeat(5)}]\n`],
    ['an array with a missing comma', `[\n  {"proc.env": "TOKEN=s3cr3t"}\n${'  {"proc.env": "TOKEN=s3cr3t"},\n'.repeat(5)}]\n`],
    ['a line cut short', `${'{"proc.env": "TOKEN=s3cr3t"}\n'.repeat(3)}{"proc.env": "TOKEN=s3cr3t", }\n`],
  ])('GIVEN %s THEN the error quotes nothing of the file (events can hold secrets)', (_, text) => {
    let message = '';
    try {
      parseEventsText(text, 'e.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/error EVENTS_BAD_JSON invalid JSON/);
    expect(message).not.toMatch(/s3cr3t|TOKEN|proc\.env|is not valid JSON/);
  });

  it.each([
    ['[\n  {"x.a": 1},\n  {"x.a": }\n]', 'EVENTS_BAD_JSON', 3],
    ['{"x.a": 1}\n{"x.a": 1,}\n', 'EVENTS_BAD_JSON', 2],
    ['[{"x.a": 1}, "text"]', 'EVENTS_NOT_OBJECT', 1],
    ['{"x.a": 1}\n[1, 2]\n', 'EVENTS_NOT_OBJECT', 2],
    ['{"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [3]}', 'EVENTS_NOT_OBJECT', 1],
    ['', 'EVENTS_EMPTY', 1],
    ['{"evt.type": "open"}\n{"kind": 0}\n', 'EVENTS_UNKNOWN_FORMAT', 2],
    ['[{"evt.type": "open"},\n {"verb": "create", "user": {"username": "x"}}]', 'EVENTS_UNKNOWN_FORMAT', 2],
    ['{}', 'EVENTS_UNKNOWN_FORMAT', 1],
  ])('names the place of a problem in %j', (text, code, line) => {
    let caught: unknown;
    try {
      parseEventsText(text, 'bad.json');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EventsFileError);
    const error = caught as EventsFileError;
    expect({ code: error.code, line: error.line, file: error.file }).toEqual({ code, line, file: 'bad.json' });
    expect(error.message).toMatch(new RegExp(`^bad\\.json:${line}:\\d+: error ${code} `));
  });

  // The k8saudit plugin takes `kind: Event` (or EventList) alone as an audit event: falcosecurity/plugins
  // @ 0809a56b54b4, plugins/k8saudit/pkg/k8saudit/source.go, ParseAuditEventsJSON. Most events of Falco's own
  // k8s audit tests have no apiVersion.
  it('reads an audit Event without apiVersion, and EventList items without kind, as k8s_audit events', () => {
    const text = '{"kind": "Event", "verb": "create", "objectRef": {"resource": "pods"}}\n'
      + '{"kind": "EventList", "items": [{"verb": "delete"}]}\n{"evt.type": "open", "evt.source": "syscall"}\n';
    const events = parseEventsText(text, 'e.jsonl');
    expect(events.map((e) => [e.line, e.source])).toEqual([[1, 'k8s_audit'], [2, 'k8s_audit'], [3, 'syscall']]);
  });

  it('names an event that fits no format, with what it has', () => {
    expect(() => parseEventsText('{"verb": "get", "apiVersion": "audit.k8s.io/v1"}', 'e.json'))
      .toThrow(/^e\.json:1:1: error EVENTS_UNKNOWN_FORMAT this event fits no known source format \(its keys are "verb", "apiVersion"\)/);
  });
});

describe('a JSON array read element by element (parseArrayElements)', () => {
  const arrays = fc.array(fc.jsonValue(), { maxLength: 8 });

  it('GIVEN any JSON array, compact or indented THEN the elements are what JSON.parse reads, each placed where it starts', () => {
    fc.assert(fc.property(arrays, fc.constantFrom(0, 2, '\t'), (values, indent) => {
      const text = JSON.stringify(values, null, indent);
      const read = parseArrayElements(text);
      expect(read?.values).toEqual(JSON.parse(text));
      if (indent === 2 && values.length > 0) {
        // each element on a line of its own, two spaces in, after its predecessor's lines
        expect(read!.places.map((p) => p.col)).toEqual(values.map(() => 3));
        expect(read!.places[0].line).toBe(2);
      }
    }), { seed: 11, numRuns: 300 });
  });

  it('GIVEN a JSON array with one character removed, doubled or replaced THEN it is read exactly when JSON.parse reads it, as JSON.parse does', () => {
    const noise = fc.constantFrom(',', ']', '[', '{', '}', '"', ' ', '\n', '\\', ':', '1', 'x');
    fc.assert(fc.property(arrays, fc.nat(), fc.constantFrom('remove', 'double', 'replace'), noise, (values, at, how, c) => {
      const valid = JSON.stringify(values, null, 1);
      const k = at % valid.length;
      const text = how === 'remove' ? valid.slice(0, k) + valid.slice(k + 1)
        : how === 'double' ? valid.slice(0, k) + valid[k] + valid.slice(k)
          : valid.slice(0, k) + c + valid.slice(k + 1);
      let expected: unknown;
      try {
        expected = JSON.parse(text);
      } catch {
        expect(parseArrayElements(text)).toBeUndefined();
        return;
      }
      if (Array.isArray(expected) && text.trimStart().startsWith('[')) expect(parseArrayElements(text)?.values).toEqual(expected);
    }), { seed: 12, numRuns: 3000 });
  });

  it('GIVEN the edges of the array syntax THEN only well-formed arrays are read', () => {
    expect(parseArrayElements('[]')?.values).toEqual([]);
    expect(parseArrayElements(' [ ]\n')?.values).toEqual([]);
    expect(parseArrayElements('[[1],[2, [3]]]')?.values).toEqual([[1], [2, [3]]]);
    expect(parseArrayElements('["a,]b", 1]')?.values).toEqual(['a,]b', 1]);
    for (const bad of ['[1,]', '[,1]', '[1,,2]', '[1 2]', '[1]]', '[1] x', 'x [1]', '[1', '[{]', '[}', '["a]', '[1}']) {
      expect([bad, parseArrayElements(bad)]).toEqual([bad, undefined]);
    }
  });
});

describe('a JSON array of one element per line (parseArrayOfLines, the fast path)', () => {
  const arrays = fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 });
  const perLine = (values: unknown[]) => `[\n${values.map((v) => `  ${JSON.stringify(v)}`).join(',\n')}\n]\n`;

  it('GIVEN one element per line THEN the elements are what JSON.parse reads, placed at their lines, two columns in', () => {
    fc.assert(fc.property(arrays, (values) => {
      const text = perLine(values);
      const read = parseArrayOfLines(text);
      expect(read?.values).toEqual(JSON.parse(text));
      expect(read?.places).toEqual(values.map((_, i) => ({ line: i + 2, col: 3 })));
    }), { seed: 13, numRuns: 300 });
  });

  it('GIVEN any change of one character THEN it reads nothing, or exactly what JSON.parse reads', () => {
    const noise = fc.constantFrom(',', ']', '[', '{', '}', '"', ' ', '\n', '\\', ':', '1', 'x', '\r', '\u00a0');
    fc.assert(fc.property(arrays, fc.nat(), fc.constantFrom('remove', 'double', 'replace'), noise, (values, at, how, c) => {
      const valid = perLine(values);
      const k = at % valid.length;
      const text = how === 'remove' ? valid.slice(0, k) + valid.slice(k + 1)
        : how === 'double' ? valid.slice(0, k) + valid[k] + valid.slice(k)
          : valid.slice(0, k) + c + valid.slice(k + 1);
      const read = parseArrayOfLines(text);
      if (read !== undefined) expect(read.values).toEqual(JSON.parse(text));
    }), { seed: 14, numRuns: 3000 });
  });

  it('GIVEN other layouts THEN it leaves them to the general reader, which places each element where it starts', () => {
    const pretty = JSON.stringify([{ 'evt.type': 'open' }, { 'evt.type': 'close' }], null, 2);
    expect(parseArrayOfLines(pretty)).toBeUndefined();
    expect(parseArrayOfLines('[{"a": 1},\n{"b": 2}]')).toBeUndefined();
    expect(parseArrayOfLines('[\n  {"a": 1}\n  {"b": 2}\n]')).toBeUndefined();
    expect(parseArrayOfLines('[\n  {"a": 1},\n]')).toBeUndefined();
    expect(parseEventsText(pretty, 'e.json').map((e) => [e.line, e.event['evt.type']])).toEqual([[2, 'open'], [5, 'close']]);
  });
});
