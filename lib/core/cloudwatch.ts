/**
 * The retention periods CloudWatch Logs accepts (PutRetentionPolicy retentionInDays; @pulumi/aws LogGroup.retentionInDays,
 * checked against its documentation by test/pulumi/provider-facts.test.ts). 0 (never expire) is not offered.
 */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
