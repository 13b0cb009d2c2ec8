import { matches } from './helpers';
import { compileGlob } from '../../../lib/falco/evaluator/glob';
import { EvaluatorError } from '../../../lib/falco/evaluator/values';

/**
 * `regex` is RE2 (libsinsp compiles it with re2::RE2::POSIX and matches with ANCHOR_BOTH: falcosecurity/libs
 * userspace/libsinsp/sinsp_filtercheck.cpp, CO_REGEX), glob and pmatch are matched without exponential
 * backtracking. On the inputs (28, 51 and 60 characters) a backtracking matcher took 12 s to 67 s; jest
 * cannot stop a synchronous test, so slowness alone fails nothing. The second test of each pair therefore
 * uses 5,000 characters, where a backtracking matcher does not finish at all (about C(5000, 8) steps for the
 * glob): the run hangs and the CI job's limit fails it, while the linear matchers take a few milliseconds.
 */
describe('matching cannot hang', () => {
  test('regex "(a+)+b" on 28 characters', () => {
    expect(matches('proc.cmdline regex "(a+)+b"', { 'proc.cmdline': 'a'.repeat(28) })).toBe(false);
    expect(matches('proc.cmdline regex "(a+)+b"', { 'proc.cmdline': `${'a'.repeat(28)}b` })).toBe(true);
  });

  test('glob "*a*a*a*a*a*a*a*a*b" on 51 characters', () => {
    expect(matches('fd.name glob "*a*a*a*a*a*a*a*a*b"', { 'fd.name': 'a'.repeat(51) })).toBe(false);
    expect(matches('fd.name iglob "*a*a*a*a*a*a*a*a*b"', { 'fd.name': `${'A'.repeat(51)}B` })).toBe(true);
  });

  test.each([
    ['regex "(a+)+b"', 'proc.cmdline regex "(a+)+b"', { 'proc.cmdline': 'a'.repeat(5000) }],
    ['glob "*a*a*a*a*a*a*a*a*b"', 'fd.name glob "*a*a*a*a*a*a*a*a*b"', { 'fd.name': 'a'.repeat(5000) }],
    ['pmatch (/*a*a*a*a*a*a*a*a*b)', 'fd.name pmatch (/*a*a*a*a*a*a*a*a*b, /tmp)', { 'fd.name': `/${'a'.repeat(5000)}/x` }],
  ])('%s on 5,000 characters: no match, and the run ends', (_what, condition, event) => {
    expect(matches(condition, event)).toBe(false);
  });

  test('pmatch with a glob component on a long component', () => {
    const path = `/${'a'.repeat(60)}/x`;
    expect(matches('fd.name pmatch (/*a*a*a*a*a*a*a*a*b, /tmp)', { 'fd.name': path })).toBe(false);
    expect(matches('fd.name pmatch (/*a*a*a*a*a*a*a*a*, /tmp)', { 'fd.name': path })).toBe(true);
  });
});

describe('regex has RE2\'s POSIX syntax, as libsinsp compiles it', () => {
  test.each([
    ['[0-9]+', '123', true],
    ['[[:digit:]]+', '123', true],
    ['a|b', 'b', true],
    ['x.*y', 'x\ny', false], // . does not match a newline
    ['a$', 'a\nb', false], // the whole value must match
    ['^b', 'a\nb', false],
  ])('%j on %j', (pattern, value, expected) => {
    expect(matches(`proc.cmdline regex ${JSON.stringify(pattern)}`, { 'proc.cmdline': value })).toBe(expected);
  });

  test.each(['\\d+', 'a\\b', '(?i)abc', '(?:a)b', '\\pN'])('%j is Perl syntax, not POSIX: refused', (pattern) => {
    expect(() => matches(`proc.cmdline regex ${JSON.stringify(pattern)}`, { 'proc.cmdline': 'x' })).toThrow(EvaluatorError);
    expect(() => matches(`proc.cmdline regex ${JSON.stringify(pattern)}`, { 'proc.cmdline': 'x' })).toThrow(/is not POSIX syntax/);
  });

  test.each([
    ['a+?', '', true], // POSIX: (a+)? (Perl: a non-greedy a+, which needs one a)
    ['a**b', 'aab', true], // POSIX: (a*)*b (Perl refuses it)
    ['a{2}*', 'aaa', false],
    ['a{2}*', 'aaaa', true],
  ])('a stacked repetition %j is a repetition of the repetition, as in POSIX syntax: on %j', (pattern, value, expected) => {
    expect(matches(`proc.cmdline regex ${JSON.stringify(pattern)}`, { 'proc.cmdline': value })).toBe(expected);
  });

  test('a pattern RE2 cannot compile is EVAL_BAD_REGEX with RE2\'s reason', () => {
    expect(() => matches('proc.cmdline regex "a(b"', { 'proc.cmdline': 'x' })).toThrow(/invalid regex pattern 'a\(b': missing \)$/);
  });

  test('backreferences do not exist in RE2', () => {
    expect(() => matches('proc.cmdline regex "(a)\\\\1"', { 'proc.cmdline': 'aa' })).toThrow(/invalid regex pattern/);
  });
});

describe('glob matcher (fnmatch, flags 0)', () => {
  test.each([
    ['/etc/*', '/etc/a/b', true], // * matches /
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['[]]x', ']x', true],
    ['[[:digit:]]*', '7up', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[abc', '[abc', true], // an unclosed bracket is a literal [
    ['**a', 'xxa', true],
    ['', '', true],
    ['*', '', true],
  ])('%j on %j', (pattern, value, expected) => {
    expect(compileGlob(pattern)(value)).toBe(expected);
  });

  test('iglob folds ASCII letters on both sides, classes included', () => {
    expect(compileGlob('ABC[d-f]', true)('abcE')).toBe(true);
    expect(compileGlob('ABC', false)('abc')).toBe(false);
  });
});
