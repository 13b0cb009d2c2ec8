import { eventOf, fixtureProps, loadFixtures, loadPacks } from './fixtures';
import { buildPackRules } from '../../lib/packs/build';
import { K8S_AUDIT_INVESTIGATION_FIELDS, SYSCALL_INVESTIGATION_FIELDS } from '../../lib/packs/fields';

const rules = buildPackRules(fixtureProps());
const { evaluator, diagnostics } = loadPacks(rules);
const byId = new Map(rules.map((r) => [r.id, r]));

test('the packs load with no error and no warning (every field known, every value valid for its field)', () => {
  expect(diagnostics).toEqual([]);
  expect(evaluator.ruleNames('syscall')).toEqual(rules.filter((r) => r.source === 'syscall').map((r) => r.name));
  expect(evaluator.ruleNames('k8s_audit')).toEqual(rules.filter((r) => r.source === 'k8s_audit').map((r) => r.name));
});

describe.each(['runtime', 'k8s-audit'])('the %s pack fixtures', (pack) => {
  const fixtures = loadFixtures(pack);
  const packRules = rules.filter((r) => r.pack === pack);

  test('every rule of the pack has a fixture file with at least one firing event and one near miss', () => {
    expect(fixtures.map((f) => f.rule).sort()).toEqual(packRules.map((r) => r.id).sort());
    for (const f of fixtures) {
      expect(f.fire.length).toBeGreaterThan(0);
      expect(f.nearMiss.length).toBeGreaterThan(0);
    }
  });

  for (const fixture of fixtures) {
    const rule = byId.get(fixture.rule);
    describe(fixture.rule, () => {
      test.each(fixture.fire.map((c) => [c.name, c] as const))('fires on: %s', (_name, c) => {
        // GIVEN the event WHEN the whole rule set runs (first match, load order)
        const detections = evaluator.evaluate(eventOf(fixture, c));
        // THEN exactly this rule fires, at its priority, with a rendered output naming its runbook
        expect(detections.map((d) => d.rule)).toEqual([rule!.name]);
        expect(detections[0].output).toContain(`runbook=${fixture.rule}`);
      });

      test.each(fixture.nearMiss.map((c) => [c.name, c] as const))('does not fire on: %s', (_name, c) => {
        const detections = evaluator.evaluate(eventOf(fixture, c));
        const expected = c.firesInstead ? [byId.get(c.firesInstead)!.name] : [];
        expect(detections.map((d) => d.rule)).toEqual(expected);
      });
    });
  }
});

describe('investigation fields in rendered alerts', () => {
  test('a syscall alert carries namespace, pod, container, image and digest, command lines, user, capabilities and node', () => {
    const fixture = loadFixtures('runtime').find((f) => f.rule === 'ds-package-manager-in-product-container')!;
    const [detection] = evaluator.evaluate(eventOf(fixture, fixture.fire[0]));
    expect(detection.priority).toBe('Error');
    expect(detection.output).toBe(
      'Package manager run in a product container | ns=checkout pod=checkout-5c7b9-abcde container=api ' +
      'image=registry.example.com/checkout/web ' +
      'digest=sha256:4b1f6f3c9a0d2e8b7c6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a ' +
      'cmdline=apt-get install -y nmap exepath=/usr/bin/apt-get parent=java pcmdline=java -jar /app/api.jar ' +
      'user=app uid=10001 caps= node=oke-node-10-0-1-17 runbook=ds-package-manager-in-product-container',
    );
  });

  test('a k8s audit alert carries user, groups, source IPs, verb and target', () => {
    const fixture = loadFixtures('k8s-audit').find((f) => f.rule === 'ds-exec-into-product-workload')!;
    const [detection] = evaluator.evaluate(eventOf(fixture, fixture.fire[0]));
    expect(detection.source).toBe('k8s_audit');
    expect(detection.output).toBe(
      'Exec/attach into a product workload by an unexpected identity | command=/bin/sh user=alice@example.com ' +
      'groups=(oidc:engineers,system:authenticated) sourceips=["10.0.0.15"] ' +
      'useragent=kubectl/v1.30.2 (linux/amd64) kubernetes/39683505 verb=create resource=pods subresource=exec ' +
      'ns=billing name=api-7d9f8c6b5-x2x4q ' +
      'uri=/api/v1/namespaces/billing/pods/api-7d9f8c6b5-x2x4q/exec?command=%2Fbin%2Fsh&container=api&stdin=true&stdout=true&tty=true ' +
      'decision=allow runbook=ds-exec-into-product-workload',
    );
  });

  test.each(rules.map((r) => [r.id, r] as const))('%s: the output format names every investigation field of its source', (_id, rule) => {
    const fields = rule.source === 'syscall' ? SYSCALL_INVESTIGATION_FIELDS : K8S_AUDIT_INVESTIGATION_FIELDS;
    for (const [, field] of fields) expect(rule.output).toContain(`%${field}`);
  });
});
