import type { RuleItem } from '../../lib/falco/rules/model';
import { placementContext, placeRule } from '../../lib/report/placement';

const rule = (condition: string, extra: Partial<RuleItem> = {}): RuleItem => ({
  kind: 'rule', name: 'R', desc: 'd', condition, output: 'o', priority: 'WARNING', ...extra,
});
const none = placementContext([]);

describe('placing rules by what their conditions watch', () => {
  test.each([
    ['a shell started', 'evt.type in (execve, execveat) and proc.name in (bash, sh)', ['shell-access']],
    ['a shell through the default macros', 'spawned_process and shell_procs', ['shell-access']],
    ['any other process', 'spawned_process and proc.name = nc', ['unexpected-processes']],
    ['a file opened for writing', 'evt.type = openat and evt.is_open_write = true and fd.name startswith /etc', ['file-system-changes']],
    ['a rename', 'evt.type in (rename, renameat2) and fs.path.target startswith /usr/bin', ['file-system-changes']],
    ['the default write macro', 'open_write and fd.name = /etc/shadow', ['file-system-changes']],
    ['an outbound connection by field', 'evt.type = connect and fd.sport = 4444', ['network-anomalies']],
    ['the default outbound macro', 'outbound and proc.name = curl', ['network-anomalies']],
    ['a setuid call', 'evt.type = setuid and user.uid != 0', ['privilege-escalation']],
    ['a capability gain', 'evt.type = capset and thread.cap_effective contains CAP_SYS_ADMIN', ['privilege-escalation']],
    ['an exec with an outbound socket', 'spawned_process and fd.sip exists', ['unexpected-processes', 'network-anomalies']],
  ])('%s', (_, condition, scenarios) => {
    expect(placeRule(rule(condition), none).scenarios).toEqual(scenarios);
  });

  test('a file only read is not a file system change', () => {
    expect(placeRule(rule('evt.type = openat and fd.name = /etc/shadow'), none).scenarios).toEqual([]);
  });

  test('negated parts watch nothing: an exclusion of shells does not make a shell rule', () => {
    expect(placeRule(rule('evt.type = connect and not proc.name in (bash, sh)'), none).scenarios).toEqual(['network-anomalies']);
  });

  test('MITRE tags do not place a rule: its condition does', () => {
    const tagged = rule('outbound and proc.name = curl', { tags: ['mitre_persistence'] });
    expect(placeRule(tagged, none).scenarios).toEqual(['network-anomalies']);
  });

  test("the stack's own macros and lists are expanded", () => {
    const ctx = placementContext([
      { kind: 'list', name: 'my_shells', items: ['bash', 'zsh'] },
      { kind: 'macro', name: 'my_exec', condition: 'evt.type in (execve)' },
      { kind: 'macro', name: 'loop', condition: 'loop and evt.type = ptrace' },
    ]);
    expect(placeRule(rule('my_exec and proc.name in (my_shells)'), ctx)).toEqual({
      scenarios: ['shell-access'], watches: ['evt.type execve', 'proc.name (shells)'],
    });
    expect(placeRule(rule('my_exec and proc.name in my_shells'), ctx).scenarios).toEqual(['shell-access']);
    // a self-referencing macro is expanded once
    expect(placeRule(rule('loop'), ctx).scenarios).toEqual(['privilege-escalation']);
  });

  test('k8s_audit rules are Kubernetes activity; a condition that does not parse is placed nowhere', () => {
    expect(placeRule(rule('ka.verb = create', { source: 'k8s_audit' }), none).scenarios).toEqual(['kubernetes-activity']);
    expect(placeRule(rule('evt.type = ('), none).scenarios).toEqual([]);
  });
});
