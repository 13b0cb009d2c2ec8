// The region identifiers each provider accepts, for the Pulumi path (facts, no provider SDK import).
import type { CloudProvider } from '../core/providers';

/** AWS regions: the values of `Region` in @pulumi/aws 7.48 (types/enums), every partition. */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2', 'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-gov-east-1', 'us-gov-west-1', 'us-iso-east-1', 'us-iso-west-1',
  'us-isob-east-1', 'us-isob-west-1', 'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1',
];

/**
 * OCI commercial (realm OC1) region identifiers (docs.oracle.com/iaas/Content/General/Concepts/regions.htm).
 * Other realms (government, sovereign) use other service domains than the Object Storage endpoints and
 * policy statements this module writes, so they are not offered.
 */
export const OCI_REGIONS: readonly string[] = [
  'af-johannesburg-1', 'ap-batam-1', 'ap-chuncheon-1', 'ap-hyderabad-1', 'ap-melbourne-1', 'ap-mumbai-1', 'ap-osaka-1', 'ap-seoul-1',
  'ap-singapore-1', 'ap-singapore-2', 'ap-sydney-1', 'ap-tokyo-1', 'ca-montreal-1', 'ca-toronto-1', 'eu-amsterdam-1', 'eu-frankfurt-1',
  'eu-madrid-1', 'eu-marseille-1', 'eu-milan-1', 'eu-paris-1', 'eu-stockholm-1', 'eu-zurich-1', 'il-jerusalem-1', 'me-abudhabi-1',
  'me-dubai-1', 'me-jeddah-1', 'me-riyadh-1', 'mx-monterrey-1', 'mx-queretaro-1', 'sa-bogota-1', 'sa-santiago-1', 'sa-saopaulo-1',
  'sa-valparaiso-1', 'sa-vinhedo-1', 'uk-cardiff-1', 'uk-london-1', 'us-ashburn-1', 'us-chicago-1', 'us-phoenix-1', 'us-sanjose-1',
];

/** Azure public-cloud locations with AKS, by their programmatic name (`az account list-locations --query "[].name"`). */
export const AZURE_LOCATIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral', 'brazilsouth',
  'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral', 'eastasia', 'eastus', 'eastus2',
  'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast',
  'japanwest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope',
  'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest', 'southcentralus', 'southeastasia',
  'southindia', 'spaincentral', 'swedencentral', 'switzerlandnorth', 'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest',
  'westcentralus', 'westeurope', 'westindia', 'westus', 'westus2', 'westus3',
];

const REGIONS: Record<CloudProvider, readonly string[]> = { eks: AWS_REGIONS, oke: OCI_REGIONS, aks: AZURE_LOCATIONS };

/** Why a region is not one of the provider's, with the nearest names; undefined when it is. */
export function regionProblem(provider: CloudProvider, region: string): string | undefined {
  const known = REGIONS[provider];
  if (known.includes(region)) return undefined;
  const [prefix] = region.split(/-|(?<=[a-z])(?=\d)/);
  const near = known.filter((r) => r.startsWith(prefix)).slice(0, 6);
  return `'${region}' is not a ${provider.toUpperCase()} region${near.length > 0 ? ` (did you mean one of ${near.join(', ')}?)` : ''}`;
}
