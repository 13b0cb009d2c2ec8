import { EventsFileError, parseEventsText } from '../../../lib/falco/evaluator/events';

describe('reading events files', () => {
  it('GIVEN a JSON array WHEN elements hold brackets, commas and quotes in strings THEN each event keeps the line it starts on', () => {
    const text = [
      '[',
      '  {"proc.cmdline": "sh -c \'[a, b]\' \\"}{\\"", "evt.type": "execve"},',
      '',
      '  {"nested": {"list": [1, [2, 3]]}, "evt.type": "open"}, {"evt.type": "close"}',
      ']',
    ].join('\n');
    const events = parseEventsText(text, 'e.json');
    expect(events.map((e) => [e.line, e.event['evt.type']])).toEqual([[2, 'execve'], [4, 'open'], [4, 'close']]);
    expect(events[0].event['proc.cmdline']).toBe('sh -c \'[a, b]\' "}{"');
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
    expect(() => parseEventsText('{"a": 1}\n  {"a": }\n', 'e.jsonl')).toThrow(/^e\.jsonl:2:9: error EVENTS_BAD_JSON invalid JSON on this line .*: Unexpected token '}'$/);
    expect(() => parseEventsText('[{"a": 1}, {"b": tru}]', 'e.json')).toThrow(/^e\.json:1:18: error EVENTS_BAD_JSON/);
  });

  it.each([
    ['[\n  {"a": 1},\n  {"a": }\n]', 'EVENTS_BAD_JSON', 3],
    ['{"a": 1}\n{"a": 1,}\n', 'EVENTS_BAD_JSON', 2],
    ['[{"a": 1}, "text"]', 'EVENTS_NOT_OBJECT', 1],
    ['{"a": 1}\n[1, 2]\n', 'EVENTS_NOT_OBJECT', 2],
    ['{"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [3]}', 'EVENTS_NOT_OBJECT', 1],
    ['', 'EVENTS_EMPTY', 1],
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
});
