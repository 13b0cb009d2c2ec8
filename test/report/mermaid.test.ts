import { eksPlan, okePlan } from './stacks';
import { coverageReport } from '../../lib/report/coverage';
import { mermaidId, mermaidLabel, renderMermaid } from '../../lib/report/mermaid';

describe('Mermaid diagram', () => {
  test('labels cannot break out of their quotes and IDs are plain words', () => {
    expect(mermaidLabel('a "b" <c> & d\ne')).toBe('"a #quot;b#quot; #lt;c#gt; #amp; d e"');
    expect(mermaidId('route', 'team-a.b c')).toBe('route_team_a_b_c');
  });

  test('rules by owner feed their sensor, sensors feed routing, team routes end at receivers', () => {
    const plan = eksPlan();
    const lines = renderMermaid(plan, coverageReport(plan)).split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  rules_platform_security_falco("platform-security: 13 rules")');
    expect(lines).toContain('  rules_platform_security_falco --> falco');
    expect(lines).toContain('  falco -->|"http_output"| sidekick');
    expect(lines).toContain('  k8saudit -->|"http_output"| sidekick');
    expect(lines).toContain('  alertmanager --> route_platform_security');
    expect(lines).toContain('  route_platform_security --> recv_platform_security_platform_security_pagerduty');
    expect(lines).toContain('  rules_platform_security_falco -.->|"owner"| route_platform_security');
    expect(lines).toContain('  k8s_audit_log -->|"polled"| k8saudit');
  });

  test('k8s_audit rules without a k8s_audit source are drawn with a dotted, labelled edge', () => {
    const plan = okePlan();
    const lines = renderMermaid(plan, coverageReport(plan)).split('\n');
    expect(lines).toContain('  rules_identity_k8saudit -.->|"no k8s_audit source"| falco');
  });
});
