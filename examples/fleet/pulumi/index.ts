// One Pulumi program for every cluster of the fleet, one Pulumi stack per cluster: the stack's config names the
// cluster (`pulumi config set cluster prod-eu`). The whole fleet definition (../fleet.ts, the same one the cdk8s app
// synthesizes) is validated on every run; only the selected cluster is planned, and its cloud side and in-cluster
// objects are deployed by the component of its provider. In a project of your own the imports are
// 'detection-stack' and 'detection-stack/pulumi/<aws|oci|azure>'.
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as oci from '@pulumi/oci';
import * as pulumi from '@pulumi/pulumi';
import { fleetClusterPlan } from '../../../lib/fleet/plan';
import { EksCloudAudit, EksDetectionStack } from '../../../lib/pulumi/aws';
import { AksDetectionStack } from '../../../lib/pulumi/azure';
import { OkeDetectionStack } from '../../../lib/pulumi/oci';
import { fleetProps } from '../fleet';

const config = new pulumi.Config();
const cluster = fleetClusterPlan(fleetProps, config.require('cluster'));
const stack = cluster.stackProps;
const name = `${cluster.name}-detection`;
// The cluster's API server: its kubeconfig as a secret config value, or the ambient one (KUBECONFIG) when unset.
const kubeconfig = config.getSecret('kubeconfig');
const kubernetesProvider = kubeconfig ? new k8s.Provider(cluster.name, { kubeconfig }) : undefined;

function deploy(): Record<string, pulumi.Input<string> | undefined> {
  switch (cluster.provider) {
    case 'oke': {
      // OCI IAM (the shipper's user, group, policies) is created in the tenancy's home region only.
      const homeRegion = config.require('homeRegion');
      const oke = new OkeDetectionStack(name, {
        stack,
        tenancyId: config.require('tenancyId'),
        compartmentId: config.require('compartmentId'),
        homeRegion,
        homeRegionProvider: new oci.Provider(`${cluster.name}-home-region`, { region: homeRegion }),
        kubernetesProvider,
      });
      return { bucketName: oke.bucketName };
    }
    case 'eks': {
      // CloudTrail's bucket is the alerts' bucket; a cluster whose alerts bucket is waived names one in its config.
      const cloudAudit = new EksCloudAudit(`${cluster.name}-audit`, { stack, bucketName: config.get('auditBucketName') });
      // The cluster exists already (created by its own program); its control-plane log types are set there from
      // `cloudAudit.enabledClusterLogTypes`.
      const eks = aws.eks.Cluster.get(cluster.name, cluster.name);
      const detection = new EksDetectionStack(name, { cloudAudit, cluster: eks, kubernetesProvider });
      return { bucketName: cloudAudit.bucketName, shipperRoleArn: detection.shipperRole.arn };
    }
    case 'aks': {
      const aks = new AksDetectionStack(name, {
        stack,
        resourceGroupName: config.require('resourceGroupName'),
        cluster: { id: config.require('clusterId') },
        // The shipper writes with a SAS (Fluent Bit's azure_blob has no Entra ID auth): a named loosening, reported.
        allowSharedKeyAccess: true,
        kubernetesProvider,
      });
      return { storageAccountName: aks.account.name };
    }
  }
}

export const clusterName = cluster.name;
export const outputs = deploy();
