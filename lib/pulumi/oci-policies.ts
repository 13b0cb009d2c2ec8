// Pure planning for the OKE cloud side: OCI IAM policy statements as plain strings.

/** Object name prefix the shipper writes alerts under. */
export const OCI_ALERTS_PREFIX = 'alerts/';
/** Object name prefix of the OCI Audit copy written by the Service Connector. */
export const OCI_AUDIT_PREFIX = 'oci-audit';

/** Object Storage may use the bucket's key (required before a bucket can be created with kmsKeyId). */
export function objectStorageKeyStatement(region: string, compartmentId: string, keyId: string): string {
  return `Allow service objectstorage-${region} to use keys in compartment id ${compartmentId} where target.key.id = '${keyId}'`;
}

/**
 * Object Storage may delete the bucket's objects for its lifecycle policy (docs.oracle.com/iaas/Content/Object/Tasks/usinglifecyclepolicies.htm:
 * lifecycle management does not work until the service is authorized to archive and delete objects).
 */
export function objectStorageLifecycleStatement(region: string, compartmentId: string, bucket: string): string {
  return `Allow service objectstorage-${region} to manage object-family in compartment id ${compartmentId} where target.bucket.name = '${bucket}'`;
}

/** The Service Connector may write objects into this bucket only. */
export function serviceConnectorWriteStatement(compartmentId: string, bucket: string): string {
  return `Allow any-user to manage objects in compartment id ${compartmentId} where all {request.principal.type='serviceconnector', ` +
    `target.bucket.name='${bucket}', request.principal.compartment.id='${compartmentId}'}`;
}

/** A group (the shipper's user) may create objects in this bucket and nothing else. */
export function shipperGroupStatements(groupName: string, compartmentId: string, bucket: string): string[] {
  return [
    `Allow group ${groupName} to manage objects in compartment id ${compartmentId} where all {target.bucket.name='${bucket}', ` +
      "request.permission='OBJECT_CREATE'}",
  ];
}

/** OCI locks a retention rule no sooner than 14 days after it is set (Object Storage Data Retention Rules). */
export const RETENTION_LOCK_DELAY_DAYS = 14;

/** When a retention rule created now locks: the first UTC midnight after the mandatory delay. */
export function retentionLockTime(now: Date): string {
  const day = 24 * 60 * 60 * 1000;
  const earliest = now.getTime() + RETENTION_LOCK_DELAY_DAYS * day;
  return new Date(Math.ceil(earliest / day) * day + day).toISOString();
}

/** The S3-compatible endpoint of OCI Object Storage (what S3 clients such as the shipper talk to). */
export function ociS3Endpoint(namespace: string, region: string): string {
  return `https://${namespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

/** OCI bucket names: 1-256 letters, digits, hyphens, underscores, periods. */
export function ociBucketNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9._-]{1,256}$/.test(name) ? undefined : 'must be 1-256 letters, digits, hyphens, underscores or periods';
}
