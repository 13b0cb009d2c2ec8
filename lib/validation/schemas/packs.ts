// The schema of DetectionPackProps: only the shape. The values (namespaces, team and rule names, the runbook URL)
// are checked by the packs themselves (DS-PACK-*), which productDetectionPacks also does outside a stack.
import { z } from 'zod';
import { RuleExceptionSchema } from './falco';
import type { DetectionPackProps } from '../../packs/props';
import type { PackName } from '../../packs/types';
import { props } from '../build';
import { assertSameType, SameType } from '../same-type';

const strings = z.array(z.string());

export const DetectionPackPropsSchema = props('DetectionPackProps', {
  namespaces: strings,
  // Any string: an unknown pack is refused by the packs with the list of known ones (DS-PACK-003).
  packs: z.array(z.string() as z.ZodType<string> as z.ZodType<PackName>).optional(),
  defaultOwner: z.string().optional(),
  owners: z.record(z.string(), z.string()).optional(),
  allowedImages: strings.optional(),
  allowedBinaries: strings.optional(),
  networkSilentBinaries: strings.optional(),
  sensitivePaths: strings.optional(),
  trustedIdentities: strings.optional(),
  infraNamespaces: strings.optional(),
  disabledRules: strings.optional(),
  excludeOwners: strings.optional(),
  exceptions: z.record(z.string(), z.array(RuleExceptionSchema)).optional(),
  runbookBaseUrl: z.string().optional(),
  responseHooks: z.record(z.string(), z.string()).optional(),
});

assertSameType<SameType<z.output<typeof DetectionPackPropsSchema>, DetectionPackProps>>();
