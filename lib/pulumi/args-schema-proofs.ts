// Compile-time proofs that each Pulumi component's args schema accepts its documented interface (the JSDoc
// users read) and has exactly its keys. They live apart from the schemas because the components import the
// schemas: proving them there would close an import cycle. Nothing imports this module; `tsc` checks it.
import type { z } from 'zod';
import type {
  AksDetectionStackArgsSchema, AwsDurableBucketArgsSchema, DetectionStackHelmReleasesArgsSchema, DetectionStackObjectsArgsSchema,
  EksCloudAuditArgsSchema, EksDetectionStackArgsSchema, OkeDetectionStackArgsSchema, StackSecretSchema,
} from './args-schemas';
import type { AwsDurableBucketArgs, EksCloudAuditArgs, EksDetectionStackArgs, TrailCloudWatchLogs } from './aws';
import type { AksDetectionStackArgs } from './azure';
import type { DetectionStackHelmReleasesArgs } from './helm';
import type { DetectionStackObjectsArgs, StackSecret } from './kubernetes';
import type { ObjectFieldBinding } from './objects';
import type { OkeDetectionStackArgs } from './oci';
import { assertSameType, SameType } from '../validation/same-type';

type Accepts<S extends z.ZodType, T> = z.output<S> extends T ? true : false;
type SameKeys<A, B> = SameType<keyof A, keyof B>;
// The schema checks the two component arguments by Pulumi's instance markers, typed as the SDK's base classes.
type EksArgsBeyondMarkers = Omit<EksDetectionStackArgs, 'cloudAudit' | 'cluster'>;

assertSameType<SameType<z.output<typeof StackSecretSchema>, StackSecret>>();
assertSameType<SameType<NonNullable<z.output<typeof DetectionStackObjectsArgsSchema>['bindings']>[number], ObjectFieldBinding>>();
assertSameType<SameKeys<NonNullable<z.output<typeof EksCloudAuditArgsSchema>['trailCloudWatchLogs']>, TrailCloudWatchLogs>>();
assertSameType<SameKeys<z.output<typeof DetectionStackObjectsArgsSchema>, DetectionStackObjectsArgs>>();
assertSameType<Accepts<typeof DetectionStackObjectsArgsSchema, DetectionStackObjectsArgs>>();
assertSameType<SameKeys<z.output<typeof AwsDurableBucketArgsSchema>, AwsDurableBucketArgs>>();
assertSameType<Accepts<typeof AwsDurableBucketArgsSchema, AwsDurableBucketArgs>>();
assertSameType<SameKeys<z.output<typeof EksCloudAuditArgsSchema>, EksCloudAuditArgs>>();
assertSameType<Accepts<typeof EksCloudAuditArgsSchema, EksCloudAuditArgs>>();
assertSameType<SameKeys<z.output<typeof EksDetectionStackArgsSchema>, EksDetectionStackArgs>>();
assertSameType<Accepts<typeof EksDetectionStackArgsSchema, EksArgsBeyondMarkers>>();
assertSameType<SameKeys<z.output<typeof OkeDetectionStackArgsSchema>, OkeDetectionStackArgs>>();
assertSameType<Accepts<typeof OkeDetectionStackArgsSchema, OkeDetectionStackArgs>>();
assertSameType<SameKeys<z.output<typeof AksDetectionStackArgsSchema>, AksDetectionStackArgs>>();
assertSameType<Accepts<typeof AksDetectionStackArgsSchema, AksDetectionStackArgs>>();
assertSameType<SameKeys<z.output<typeof DetectionStackHelmReleasesArgsSchema>, DetectionStackHelmReleasesArgs>>();
assertSameType<Accepts<typeof DetectionStackHelmReleasesArgsSchema, DetectionStackHelmReleasesArgs>>();
