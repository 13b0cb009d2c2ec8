// Pieces several props schemas share: Secret references, named opt-outs, plain URLs, cloud identities, resources.
import { z } from 'zod';
import type { StackCode } from '../../core/error-codes';
import type { NamedOptOut } from '../../core/opt-out';
import type { ResourceProps } from '../../core/resources';
import type { SecretKeyRef } from '../../core/secrets';
import { credentialInUrl } from '../../core/urls';
import { props, rule } from '../build';
import { azureClientIdProblem, iamRoleArnProblem, PROVIDER_NAME_CODE } from '../cloud';
import { quote } from '../report';
import { assertSameType, SameType } from '../same-type';

export const SecretKeyRefSchema = props('SecretKeyRef', { name: z.string(), key: z.string() });
export const secret = SecretKeyRefSchema;
export const optOut = props('NamedOptOut', { reason: z.string() });

/** A URL given as a plain string: it lands in ConfigMaps and manifests, so it may not carry a credential. */
export const plainUrl = (secretAllowed: boolean) => z.string().superRefine((value, ctx) => {
  const problem = credentialInUrl(value);
  if (problem) {
    ctx.addIssue({
      code: 'custom',
      message: `${problem}: a URL given as a plain string is written into the manifests`,
      params: {
        code: 'DS-ROUTE-020',
        fix: secretAllowed
          ? 'put the whole URL in a Kubernetes Secret and reference it: { name: \'my-secret\', key: \'url\' }'
          : 'give the URL without credentials and put the credential in the output\'s Secret reference (apiKey, password)',
      },
    });
  }
});

/** A plain string or a Secret reference: the union reports the branch the value took. */
export const urlOrSecret = z.union([plainUrl(true), secret]);

const checked = (problemOf: (v: string) => string | undefined, code: StackCode, fix: string) =>
  rule(z.string(), code, (v) => problemOf(v) === undefined, (v) => `${quote(v)} ${problemOf(v)}`, fix);
export const roleArn = checked(iamRoleArnProblem, PROVIDER_NAME_CODE, 'use the role\'s ARN, arn:aws:iam::<12-digit account>:role/<name>');
export const clientId = checked(azureClientIdProblem, PROVIDER_NAME_CODE, 'use the client id (a GUID) of the user-assigned managed identity');

export const resources = (name: string) => props(name, {
  requests: props(`${name}.requests`, { cpu: z.string(), memory: z.string() }).optional(),
  limits: props(`${name}.limits`, { cpu: z.string(), memory: z.string() }).optional(),
}).optional();

assertSameType<SameType<z.output<typeof SecretKeyRefSchema>, SecretKeyRef>>();
assertSameType<SameType<z.output<typeof optOut>, NamedOptOut>>();
assertSameType<SameType<z.output<ReturnType<typeof resources>>, ResourceProps | undefined>>();
