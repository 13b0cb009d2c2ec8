// Schemas of the Tetragon sensor props and of sensor ownership. Policies are checked field by field against
// the TracingPolicy CRD by the Tetragon layer (DS-TETRA-010); here they only need to be objects.
import { z } from 'zod';
import { FALCO_PRIORITIES } from '../../core/priorities';
import type { FalcoPriority } from '../../core/priorities';
import type { TracingPolicy } from '../../tetragon/model';
import { SEED_PATTERNS } from '../../tetragon/props';
import type { SensorOwnershipProps, TetragonSensorProps } from '../../tetragon/props';
import { plainObject, props } from '../build';
import { assertSameType, SameType } from '../same-type';

const strings = z.array(z.string());
const quantities = (name: string) => props(name, { cpu: z.string().optional(), memory: z.string().optional() });
const resources = (name: string) => props(name, {
  requests: quantities(`${name}.requests`).optional(),
  limits: quantities(`${name}.limits`).optional(),
}).optional();
const jsonObjects = z.array(z.record(z.string(), z.unknown()));

export const TetragonSensorPropsSchema = props('TetragonSensorProps', {
  productNamespaces: strings.optional(),
  seedPatterns: z.array(z.enum(SEED_PATTERNS)).optional(),
  owner: z.string().optional(),
  noNetworkBinaries: strings.optional(),
  detections: z.array(props('TetragonDetection', {
    id: z.string(),
    pattern: z.string(),
    owner: z.string(),
    tags: strings.optional(),
    description: z.string().optional(),
    priority: z.enum(FALCO_PRIORITIES as [FalcoPriority, ...FalcoPriority[]]).optional(),
    policies: z.array(plainObject<TracingPolicy>('a TracingPolicy (apiVersion, kind, metadata, spec)')),
  })).optional(),
  enforcement: props('TetragonEnforcementProps', { enabled: z.boolean(), reason: z.string() }).optional(),
  images: props('TetragonImagesProps', {
    agent: z.string().optional(), operator: z.string().optional(), exportStdout: z.string().optional(),
  }).optional(),
  export: props('TetragonExportProps', {
    directory: z.string().optional(),
    stdoutSidecar: z.boolean().optional(),
    fileName: z.string().optional(),
    maxSizeMb: z.number().optional(),
    maxBackups: z.number().optional(),
    rateLimitPerMinute: z.number().optional(),
    denyNamespaces: strings.optional(),
    fieldFilters: jsonObjects.optional(),
    redactionFilters: jsonObjects.optional(),
  }).optional(),
  agentResources: resources('TetragonSensorProps.agentResources'),
  exportStdoutResources: resources('TetragonSensorProps.exportStdoutResources'),
  operatorResources: resources('TetragonSensorProps.operatorResources'),
  listenOnAllInterfaces: props('NamedOptOut', { reason: z.string() }).optional(),
});

export const SensorOwnershipPropsSchema = props('SensorOwnershipProps', {
  detections: z.array(props('DetectionOwnershipProps', {
    pattern: z.string(),
    sensor: z.enum(['falco', 'tetragon']),
    alertsTo: strings,
  })).optional(),
  falcoPatterns: strings.optional(),
});

assertSameType<SameType<z.output<typeof TetragonSensorPropsSchema>, TetragonSensorProps>>();
assertSameType<SameType<z.output<typeof SensorOwnershipPropsSchema>, SensorOwnershipProps>>();
