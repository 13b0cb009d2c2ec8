// What the identity running `pulumi up` (and `pulumi destroy`) needs, per cloud resource type the components and the
// examples create, as data: the examples' READMEs render it for each example's plan (test/pulumi/deployer-permissions.test.ts
// keeps them equal, and fails on a resource type without an entry). No provider SDK is imported here.

/** One resource type's needs: IAM actions (AWS), OCI policy statements, or Azure RBAC actions. */
export interface DeployerNeed {
  /** Actions to create the resource and read it back (the provider reads after every create and on refresh). */
  readonly create: readonly string[];
  /** Actions `pulumi destroy` needs: empty for what is kept (`retainOnDelete`) or what the provider only forgets. */
  readonly destroy?: readonly string[];
  /** What no narrower statement covers, said beside the list (OCI Audit retention: the Administrators group only). */
  readonly note?: string;
}

// AWS: the action names of the Service Authorization Reference (docs.aws.amazon.com/service-authorization/latest/reference:
// list_amazons3, list_awskeymanagementservice, list_awscloudtrail, list_amazoncloudwatchlogs, list_amazoncloudwatch,
// list_awsidentityandaccessmanagementiam, list_amazonelastickubernetesservice), for the API calls the provider makes.
// S3: CreateBucket with ObjectLockEnabledForBucket also needs s3:PutBucketObjectLockConfiguration and s3:PutBucketVersioning
// (Amazon S3 API Reference, CreateBucket); deleting a lifecycle, encryption, ownership or public-access configuration is
// authorized as its Put action (API Reference, DeleteBucketLifecycle and the others). IAM: creating an EKS cluster,
// a Pod Identity association or a trail with a CloudWatch Logs role passes a role (iam:PassRole; EKS User Guide,
// "Pod Identity associations"; CloudTrail User Guide, "Sending events to CloudWatch Logs").
const S3_READ = ['s3:ListBucket', 's3:GetBucketTagging', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite',
  's3:GetBucketVersioning', 's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration'];
const ROLE_READ = ['iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies'];

export const AWS_DEPLOYER_NEEDS: Readonly<Record<string, DeployerNeed>> = {
  'aws:s3/bucket:Bucket': { create: ['s3:CreateBucket', 's3:PutBucketTagging', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning', ...S3_READ] },
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': { create: ['s3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'], destroy: ['s3:PutBucketPublicAccessBlock'] },
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls': { create: ['s3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls'], destroy: ['s3:PutBucketOwnershipControls'] },
  'aws:s3/bucketVersioning:BucketVersioning': { create: ['s3:PutBucketVersioning', 's3:GetBucketVersioning'] },
  'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration': { create: ['s3:PutBucketObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration'] },
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': {
    create: ['s3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration'], destroy: ['s3:PutEncryptionConfiguration'],
  },
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': {
    create: ['s3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration'], destroy: ['s3:PutLifecycleConfiguration'],
  },
  'aws:s3/bucketLogging:BucketLogging': { create: ['s3:PutBucketLogging', 's3:GetBucketLogging'], destroy: ['s3:PutBucketLogging'] },
  'aws:s3/bucketPolicy:BucketPolicy': { create: ['s3:PutBucketPolicy', 's3:GetBucketPolicy'], destroy: ['s3:DeleteBucketPolicy'] },
  'aws:kms/key:Key': {
    create: ['kms:CreateKey', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:TagResource', 'kms:DescribeKey', 'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
  },
  'aws:kms/alias:Alias': { create: ['kms:CreateAlias', 'kms:ListAliases'], destroy: ['kms:DeleteAlias'] },
  'aws:cloudtrail/trail:Trail': {
    create: ['cloudtrail:CreateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StartLogging', 'cloudtrail:AddTags', 'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetInsightSelectors', 'cloudtrail:ListTags', 'iam:PassRole'],
  },
  // The provider creates an encrypted, tagged group with one CreateLogGroup carrying kmsKeyId and tags, then
  // PutRetentionPolicy, and reads it back with DescribeLogGroups and ListTagsForResource; AssociateKmsKey is called only
  // when kms_key_id changes on an existing group (hashicorp/terraform-provider-aws internal/service/logs/group.go,
  // resourceGroupCreate/resourceGroupUpdate; AWS's own AWS::Logs::LogGroup handler lists logs:AssociateKmsKey under update
  // only: aws-cloudformation-resource-providers-logs aws-logs-loggroup.json). Tags on create need logs:TagResource
  // (CloudWatch Logs API Reference, CreateLogGroup: "you must have either the logs:TagResource or logs:TagLogGroup").
  'aws:cloudwatch/logGroup:LogGroup': {
    create: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:DescribeLogGroups', 'logs:ListTagsForResource'],
  },
  'aws:cloudwatch/logStream:LogStream': { create: ['logs:CreateLogStream', 'logs:DescribeLogStreams'] },
  'aws:cloudwatch/logMetricFilter:LogMetricFilter': { create: ['logs:PutMetricFilter', 'logs:DescribeMetricFilters'], destroy: ['logs:DeleteMetricFilter'] },
  'aws:cloudwatch/metricAlarm:MetricAlarm': {
    create: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:ListTagsForResource'], destroy: ['cloudwatch:DeleteAlarms'],
  },
  'aws:iam/role:Role': { create: ['iam:CreateRole', 'iam:TagRole', ...ROLE_READ], destroy: ['iam:DeleteRole', 'iam:ListInstanceProfilesForRole'] },
  'aws:iam/rolePolicy:RolePolicy': { create: ['iam:PutRolePolicy', 'iam:GetRolePolicy'], destroy: ['iam:DeleteRolePolicy'] },
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': { create: ['iam:AttachRolePolicy', 'iam:ListAttachedRolePolicies'], destroy: ['iam:DetachRolePolicy'] },
  'aws:eks/cluster:Cluster': {
    // The first cluster of an account creates EKS's service-linked role (EKS User Guide, "Using service-linked roles").
    create: ['eks:CreateCluster', 'eks:DescribeCluster', 'eks:TagResource', 'iam:PassRole', 'iam:CreateServiceLinkedRole', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
    destroy: ['eks:DeleteCluster'],
  },
  'aws:eks/addon:Addon': { create: ['eks:CreateAddon', 'eks:DescribeAddon', 'eks:DescribeAddonVersions', 'eks:TagResource'], destroy: ['eks:DeleteAddon'] },
  'aws:eks/podIdentityAssociation:PodIdentityAssociation': {
    create: ['eks:CreatePodIdentityAssociation', 'eks:DescribePodIdentityAssociation', 'eks:TagResource', 'iam:PassRole'],
    destroy: ['eks:DeletePodIdentityAssociation'],
  },
};

// OCI: the policy verbs and resource types of the OCI IAM policy reference (docs.oracle.com/iaas/Content/Identity/Reference:
// objectstoragepolicyreference, keypolicyreference, serviceconnectorhubpolicyreference, iampolicyreference), for the API
// calls the provider makes. Where each statement is placed follows the plan: users and groups are created in the tenancy
// (compartmentId = tenancyId), every policy is attached to the stack's compartment (test/pulumi/deployer-permissions.test.ts
// checks both). Users, groups and policies are created and updated only in the home region ("Managing Regions": "Resources
// that you can create and update only in the home region are: Users, Groups, Policies, ..."): the component writes them,
// the users' secret keys and group memberships through homeRegionProvider.
export const OCI_DEPLOYER_NEEDS: Readonly<Record<string, DeployerNeed>> = {
  // A bucket with kmsKeyId: Object Storage uses the key on the creator's behalf, which the creator must be allowed to
  // delegate ("Assigning Master Encryption Keys", Required IAM Policy: "you must also authorize users to delegate key usage
  // to these services"; keypolicyreference: key-delegate, use = KEY_ASSOCIATE KEY_DISASSOCIATE, in no other type's verbs).
  'oci:ObjectStorage/bucket:Bucket': { create: ['manage buckets in compartment <compartment>', 'use key-delegate in compartment <compartment>'] },
  // PutObjectLifecyclePolicy: "manage buckets", "also needs manage objects" (objectstoragepolicyreference).
  'oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy': { create: ['manage buckets in compartment <compartment>', 'manage objects in compartment <compartment>'] },
  'oci:Kms/vault:Vault': { create: ['manage vaults in compartment <compartment>'] },
  // CreateKey: KEY_CREATE (manage keys), "also needs use vaults", which manage vaults (the vault this component creates) covers.
  'oci:Kms/key:Key': { create: ['manage keys in compartment <compartment>'] },
  // CreateServiceConnector: SERVICE_CONNECTOR_CREATE, in manage serviceconnectors (serviceconnectorhubpolicyreference).
  'oci:Sch/connector:Connector': { create: ['manage serviceconnectors in compartment <compartment>'] },
  // CreatePolicy: POLICY_CREATE, in manage policies, where the policy is attached.
  'oci:Identity/policy:Policy': { create: ['manage policies in compartment <compartment>'] },
  'oci:Identity/user:User': { create: ['manage users in tenancy'] },
  // CreateCustomerSecretKey: "USER_UPDATE and USER_SECRETKEY_ADD", both in manage users (iampolicyreference).
  'oci:Identity/customerSecretKey:CustomerSecretKey': { create: ['manage users in tenancy'] },
  'oci:Identity/group:Group': { create: ['manage groups in tenancy'] },
  // AddUserToGroup: "GROUP_UPDATE and USER_UPDATE" (use groups and use users; the manage statements above cover both).
  'oci:Identity/userGroupMembership:UserGroupMembership': { create: ['manage users in tenancy', 'manage groups in tenancy'] },
  // The tenancy's Audit retention (Audit API UpdateConfiguration on the root compartment): no policy statement grants it.
  // The Audit policy reference has one resource type, audit-events, whose verbs cover ListEvents only; "Setting the Audit
  // Log Retention Period", Required IAM Policy: "To modify the audit log retention period, you must be a member of the
  // Administrators group".
  'oci:Audit/configuration:Configuration': {
    create: [],
    note: 'The OCI Audit retention period (`audit.cloud`) can be changed only by a member of the tenancy\'s Administrators group (Oracle: "Setting the Audit Log Retention Period"); no policy statement grants it.',
  },
};

// Azure: the resource provider operations of "Azure resource provider operations" (learn.microsoft.com/azure/role-based-access-control/
// permissions: Microsoft.Storage, Microsoft.EventHub, Microsoft.Insights, Microsoft.OperationalInsights, Microsoft.Authorization;
// MicrosoftDocs/azure-docs articles/role-based-access-control/permissions/storage.md). The container lock is
// "immutabilityPolicies/lock/action | Lock blob container immutability policy" there, the operation of the REST call
// Blob Containers - Lock Immutability Policy (POST .../containers/{c}/immutabilityPolicies/default/lock, "ETag in If-Match is
// required"): the lock step passes the etag the immutability policy resource read back (immutabilityPolicies/read).
export const AZURE_DEPLOYER_NEEDS: Readonly<Record<string, DeployerNeed>> = {
  'azure-native:storage:StorageAccount': { create: ['Microsoft.Storage/storageAccounts/write', 'Microsoft.Storage/storageAccounts/read'] },
  'azure-native:storage:BlobContainer': { create: ['Microsoft.Storage/storageAccounts/blobServices/containers/write', 'Microsoft.Storage/storageAccounts/blobServices/containers/read'] },
  'azure-native:storage:BlobContainerImmutabilityPolicy': {
    create: ['Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/lock/action'],
  },
  'azure-native:storage:ManagementPolicy': {
    create: ['Microsoft.Storage/storageAccounts/managementPolicies/write', 'Microsoft.Storage/storageAccounts/managementPolicies/read'],
    destroy: ['Microsoft.Storage/storageAccounts/managementPolicies/delete'],
  },
  'azure-native:eventhub:Namespace': { create: ['Microsoft.EventHub/namespaces/write', 'Microsoft.EventHub/namespaces/read'], destroy: ['Microsoft.EventHub/namespaces/delete'] },
  'azure-native:eventhub:EventHub': {
    create: ['Microsoft.EventHub/namespaces/eventhubs/write', 'Microsoft.EventHub/namespaces/eventhubs/read'], destroy: ['Microsoft.EventHub/namespaces/eventhubs/delete'],
  },
  'azure-native:eventhub:NamespaceAuthorizationRule': {
    create: ['Microsoft.EventHub/namespaces/authorizationRules/write', 'Microsoft.EventHub/namespaces/authorizationRules/read',
      'Microsoft.EventHub/namespaces/authorizationRules/listkeys/action'],
    destroy: ['Microsoft.EventHub/namespaces/authorizationRules/delete'],
  },
  'azure-native:monitor:DiagnosticSetting': {
    create: ['Microsoft.Insights/diagnosticSettings/write', 'Microsoft.Insights/diagnosticSettings/read'], destroy: ['Microsoft.Insights/diagnosticSettings/delete'],
  },
  'azure-native:monitor:SubscriptionDiagnosticSetting': {
    create: ['Microsoft.Insights/diagnosticSettings/write', 'Microsoft.Insights/diagnosticSettings/read'], destroy: ['Microsoft.Insights/diagnosticSettings/delete'],
  },
  'azure-native:monitor:DataCollectionEndpoint': {
    create: ['Microsoft.Insights/dataCollectionEndpoints/write', 'Microsoft.Insights/dataCollectionEndpoints/read'], destroy: ['Microsoft.Insights/dataCollectionEndpoints/delete'],
  },
  'azure-native:monitor:DataCollectionRule': {
    create: ['Microsoft.Insights/dataCollectionRules/write', 'Microsoft.Insights/dataCollectionRules/read'], destroy: ['Microsoft.Insights/dataCollectionRules/delete'],
  },
  'azure-native:operationalinsights:Table': {
    create: ['Microsoft.OperationalInsights/workspaces/tables/write', 'Microsoft.OperationalInsights/workspaces/tables/read'],
    destroy: ['Microsoft.OperationalInsights/workspaces/tables/delete'],
  },
  'azure-native:authorization:RoleAssignment': {
    create: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/read'], destroy: ['Microsoft.Authorization/roleAssignments/delete'],
  },
  // The lock step runs `az storage container immutability-policy lock` on the deployer's machine: the lock action above.
  'command:local:Command': { create: [] },
};

/** Resource types that need no cloud permission of their own: components, providers, the cluster's objects. */
export function needsNoCloudPermission(type: string): boolean {
  return type.startsWith('detection-stack:') || type.startsWith('pulumi:providers:') || type.startsWith('kubernetes:');
}

export type DeployerCloud = 'aws' | 'oci' | 'azure';
const NEEDS: Record<DeployerCloud, Readonly<Record<string, DeployerNeed>>> = {
  aws: AWS_DEPLOYER_NEEDS, oci: OCI_DEPLOYER_NEEDS, azure: AZURE_DEPLOYER_NEEDS,
};

/** What the deployer needs for these resource types, sorted and without repeats; `unknown` lists types without an entry. */
export function deployerNeeds(
  cloud: DeployerCloud, types: Iterable<string>,
): { create: string[]; destroy: string[]; notes: string[]; unknown: string[] } {
  const create = new Set<string>(); const destroy = new Set<string>(); const notes = new Set<string>(); const unknown = new Set<string>();
  for (const type of types) {
    if (needsNoCloudPermission(type)) continue;
    const need = NEEDS[cloud][type];
    if (!need) {
      unknown.add(type);
      continue;
    }
    need.create.forEach((a) => create.add(a));
    need.destroy?.forEach((a) => destroy.add(a));
    if (need.note) notes.add(need.note);
  }
  return {
    create: [...create].sort(), destroy: [...destroy].filter((a) => !create.has(a)).sort(), notes: [...notes].sort(), unknown: [...unknown].sort(),
  };
}

/**
 * The README block of an example: the create/read list, then what `pulumi destroy` adds (AWS grouped by service).
 * Markers around it let the test compare the README with what the plan derives.
 */
export function deployerNeedsMarkdown(cloud: DeployerCloud, types: Iterable<string>): string {
  const { create, destroy, notes } = deployerNeeds(cloud, types);
  const lines: string[] = ['<!-- deployer-permissions: generated from the plan (lib/pulumi/deployer-permissions.ts) -->'];
  if (cloud === 'aws') {
    const services = [...new Set([...create, ...destroy].map((a) => a.split(':')[0]))].sort();
    lines.push('| service | create and read back | `pulumi destroy` also |', '|---|---|---|');
    for (const s of services) {
      const of = (list: string[]) => list.filter((a) => a.split(':')[0] === s).map((a) => `\`${a}\``).join(', ') || '-';
      lines.push(`| ${s} | ${of(create)} | ${of(destroy)} |`);
    }
  } else if (cloud === 'oci') {
    lines.push('```', ...create.map((st) => `Allow group <deployers> to ${st}`), '```');
  } else {
    const cell = (list: string[]) => list.map((a) => `\`${a}\``).join('<br>') || '-';
    lines.push('| create and read back | `pulumi destroy` also |', '|---|---|', `| ${cell(create)} | ${cell(destroy)} |`);
  }
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('<!-- /deployer-permissions -->');
  return lines.join('\n');
}
