import type { CloudProvider } from '../../lib/core/providers';
import { falcoStdoutSource, ociS3Endpoint, outageBudget, planDurable, SensorSource, STORED_ALERT_BYTES } from '../../lib/durable/plan';
import type { DurableStorageProps } from '../../lib/durable/props';
import { planContext } from '../routing/helpers';

const FALCO: SensorSource = falcoStdoutSource('falco', 'falco-', 'falco');
const TETRAGON: SensorSource = { name: 'tetragon', hostPath: '/var/log/tetragon/tetragon.log', format: 'json' };
const plan = (provider: CloudProvider, props: DurableStorageProps, region = provider === 'oke' ? 'eu-frankfurt-1' : provider === 'aks' ? 'westeurope' : 'eu-west-1',
  sources: SensorSource[] = [FALCO]) => planDurable(props, planContext(provider, region), sources, 'test/durable');
const lines = (conf: string, section: string): string[][] => conf.split('\n\n')
  .filter((s) => s.startsWith(`[${section}]`))
  .map((s) => s.split('\n').slice(1).filter(Boolean).map((l) => l.trim().replace(/\s+/, ' ')));

describe('durable storage: Fluent Bit ships every alert to the provider bucket', () => {
  test('EKS: S3 with IRSA, Object Lock-ready uploads, no retry limit, bounded disk buffer', () => {
    const shipper = plan('eks', { bucket: { name: 'detections-prod-eks', aws: { roleArn: 'arn:aws:iam::111122223333:role/shipper' } } })!.shipper!;
    expect(shipper.destination).toEqual({ kind: 's3', service: 'Amazon S3', bucket: 'detections-prod-eks', region: 'eu-west-1', prefix: 'detections/prod-eks' });
    expect(shipper.workload.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/shipper' });
    expect(shipper.secretEnv).toEqual([]);
    const conf = shipper.files['fluent-bit.conf'];
    expect(lines(conf, 'OUTPUT')).toEqual([[
      'Name s3', 'Match alerts.*', 'bucket detections-prod-eks', 'region eu-west-1',
      's3_key_format /detections/prod-eks/$TAG[1]/%Y/%m/%d/%H%M%S-${NODE_NAME}-$UUID.jsonl.gz',
      's3_key_format_tag_delimiters .', 'compression gzip', 'use_put_object On', 'send_content_md5 On', 'total_file_size 50M',
      'upload_timeout 1m', 'json_date_key false', 'store_dir /var/lib/detection-stack/fluent-bit/s3', 'store_dir_limit_size 2G',
      'Retry_Limit 100000', 'retry_exhausted_action quarantine', 'quarantine_dir_limit_size 2G', 'storage.total_limit_size 2G',
    ]]);
    expect(lines(conf, 'SERVICE')[0]).toEqual(expect.arrayContaining([
      'storage.path /var/lib/detection-stack/fluent-bit/storage', 'storage.sync full', 'storage.checksum On', 'Health_Check On',
    ]));
  });

  test('the Falco source: the container log, unwrapped from CRI, Falco\'s own log lines dropped', () => {
    const conf = plan('eks', { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } })!.shipper!.files['fluent-bit.conf'];
    expect(lines(conf, 'INPUT')).toEqual([[
      'Name tail', 'Alias source-falco', 'Tag alerts.falco', 'Path /var/log/containers/falco-*_falco_falco-*.log', 'multiline.parser cri',
      'DB /var/lib/detection-stack/fluent-bit/tail-falco.db', 'DB.locking true', 'Read_from_Head true', 'Buffer_Chunk_Size 64k',
      'Buffer_Max_Size 1M', 'Skip_Long_Lines Off', 'Refresh_Interval 5', 'Rotate_Wait 30', 'storage.type filesystem',
    ]]);
    expect(lines(conf, 'FILTER')).toEqual([
      ['Name parser', 'Match alerts.falco', 'Key_Name log', 'Parser alert_json', 'Reserve_Data Off'],
      ['Name grep', 'Match alerts.falco', 'Regex rule .'],
      ['Name record_modifier', 'Match alerts.*', 'Record cluster prod-eks', 'Record node_name ${NODE_NAME}'],
    ]);
  });

  test('Tetragon\'s export file is shipped as JSON lines; the kubelet\'s log directories, not /var/log, are mounted read-only', () => {
    const shipper = plan('eks', { bucket: { name: 'detections-prod-eks', aws: { podIdentity: true } } }, 'eu-west-1', [FALCO, TETRAGON])!.shipper!;
    expect(lines(shipper.files['fluent-bit.conf'], 'INPUT')[1].slice(0, 5)).toEqual([
      'Name tail', 'Alias source-tetragon', 'Tag alerts.tetragon', 'Path /var/log/tetragon/tetragon.log', 'Parser alert_json',
    ]);
    expect(shipper.readOnlyHostPaths).toEqual(['/var/log/containers', '/var/log/pods', '/var/log/tetragon']);
    const pod = shipper.workload.pod;
    expect(pod.volumes.filter((v) => 'hostPath' in v)).toEqual([
      { name: 'buffer', hostPath: { path: '/var/lib/detection-stack/fluent-bit', type: 'DirectoryOrCreate' } },
      { name: 'source-0', hostPath: { path: '/var/log/containers', type: 'Directory' } },
      { name: 'source-1', hostPath: { path: '/var/log/pods', type: 'Directory' } },
      { name: 'source-2', hostPath: { path: '/var/log/tetragon', type: 'Directory' } },
    ]);
    expect(pod.containers[0].volumeMounts.filter((m) => m.name.startsWith('source-')).every((m) => m.readOnly)).toBe(true);
    expect(plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } } }, 'eu-west-1', [TETRAGON])!.shipper!.readOnlyHostPaths).toEqual(['/var/log/tetragon']);
  });

  test('OKE: Object Storage through its S3-compatible endpoint with a Customer Secret Key from a Secret', () => {
    expect(ociS3Endpoint('tenancyns', 'eu-frankfurt-1')).toBe('https://tenancyns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com');
    const shipper = plan('oke', {
      bucket: {
        name: 'detections-prod',
        oci: {
          objectStorageNamespace: 'tenancyns', accessKeyId: { name: 'bucket-keys', key: 'id' }, secretAccessKey: { name: 'bucket-keys', key: 'secret' },
        },
      },
    })!.shipper!;
    expect(shipper.destination).toMatchObject({ kind: 's3', endpoint: 'https://tenancyns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com', region: 'eu-frankfurt-1' });
    expect(lines(shipper.files['fluent-bit.conf'], 'OUTPUT')[0]).toContain('endpoint https://tenancyns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com');
    expect(shipper.secretEnv.map((e) => [e.env, e.secret])).toEqual([
      ['AWS_ACCESS_KEY_ID', { name: 'bucket-keys', key: 'id' }],
      ['AWS_SECRET_ACCESS_KEY', { name: 'bucket-keys', key: 'secret' }],
    ]);
  });

  test('AKS: Blob Storage with a SAS token read from the environment, never written in the config', () => {
    const shipper = plan('aks', { bucket: { name: 'detections', azure: { storageAccount: 'secstore', sasToken: { name: 'blob-sas', key: 'token' } } } })!.shipper!;
    expect(lines(shipper.files['fluent-bit.conf'], 'OUTPUT')).toEqual([[
      'Name azure_blob', 'Match alerts.*', 'account_name secstore', 'container_name detections', 'path detections/prod-eks',
      'blob_type blockblob', 'auto_create_container Off', 'auth_type sas', 'sas_token ${AZURE_BLOB_SAS_TOKEN}',
      'Retry_Limit no_limits', 'storage.total_limit_size 2G',
    ]]);
    expect(shipper.secretEnv.map((e) => e.env)).toEqual(['AZURE_BLOB_SAS_TOKEN']);
  });

  test('a waiver needs a reason; no props means no plan (the guardrail decides)', () => {
    expect(plan('eks', { waived: { reason: 'staging cluster, alerts are disposable' } })).toEqual({ waivedBecause: 'staging cluster, alerts are disposable' });
    expect(() => plan('eks', { waived: { reason: 'no' } })).toThrow(/DS-DURABLE-059 at test\/durable\.waived/);
    expect(planDurable(undefined, planContext(), [FALCO], 'test/durable')).toBeUndefined();
  });
});

describe('durable storage: bad input is refused', () => {
  test('the access block must match the provider, with exactly one identity', () => {
    expect(() => plan('eks', { bucket: { name: 'b-bucket', azure: { storageAccount: 'x12', sasToken: { name: 's', key: 'k' } } } }))
      .toThrow(/DS-DURABLE-002 at test\/durable\.bucket\.azure: 'azure' access is given for a cluster on eks/);
    expect(() => plan('eks', { bucket: { name: 'b-bucket' } })).toThrow(/^DS-DURABLE-053 at test\/durable\.bucket\.aws: the shipper needs exactly one way/);
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { roleArn: 'arn:aws:iam::111122223333:role/x', podIdentity: true } } }))
      .toThrow(/^DS-DURABLE-053 at test\/durable\.bucket\.aws: /);
    expect(() => plan('aks', { bucket: { name: 'b-bucket', azure: { storageAccount: 'secstore' } } }))
      .toThrow(/^DS-DURABLE-053 at test\/durable\.bucket\.azure: the shipper needs exactly one credential/);
    expect(() => plan('oke', { bucket: { name: 'b-bucket' } })).toThrow(/^DS-DURABLE-053 at test\/durable\.bucket\.oci: the shipper has no access to Object Storage/);
  });
  test('an IRSA role that is not an IAM role ARN (DS-DURABLE-054)', () => {
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { roleArn: 'arn:aws:iam::1:user/x' } } }))
      .toThrow(/^DS-DURABLE-054 at test\/durable\.bucket\.aws\.roleArn: 'arn:aws:iam::1:user\/x' is not an IAM role ARN/);
  });
  test('region, bucket name, buffer', () => {
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } } }, '')).toThrow(/DS-DURABLE-003/);
    expect(() => plan('eks', { bucket: { name: 'B', aws: { podIdentity: true } } })).toThrow(/DS-DURABLE-004 at test\/durable\.bucket\.name/);
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } }, buffer: { bytes: 'lots' } })).toThrow(/DS-DURABLE-005 at test\/durable\.buffer\.bytes/);
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } }, shipper: { bufferHostPath: '/var/log/buf' } }))
      .toThrow(/^DS-DURABLE-056 at test\/durable\.shipper\.bufferHostPath: '\/var\/log\/buf' is not a usable buffer directory/);
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } }, shipper: { bufferHostPath: 'relative/buf' } }))
      .toThrow(/^DS-DURABLE-056 at test\/durable\.shipper\.bufferHostPath: /);
    expect(() => plan('eks', { bucket: { name: 'b-bucket', aws: { podIdentity: true } }, waived: { reason: 'both at once here' } })).toThrow(/DS-DURABLE-001 .*both configured and waived/);
  });
});

describe('the outage budget', () => {
  const bucket = { name: 'b-bucket', aws: { podIdentity: true } };

  test('is the buffer over the expected alert bytes per second, in hours: 2G at 1 alert/s is 194.2 hours', () => {
    const budget = plan('eks', { bucket })!.shipper!.outageBudget;
    expect(budget).toEqual({
      bufferBytes: 2 * 1024 ** 3, alertsPerSecond: 1, bytesPerAlert: STORED_ALERT_BYTES, hours: 2 * 1024 ** 3 / 3072 / 3600,
    });
    expect(budget.hours.toFixed(1)).toBe('194.2');
    expect(outageBudget('512M', 4).hours).toBeCloseTo(512 * 1024 ** 2 / (4 * 3072) / 3600, 10);
  });

  test('durable.buffer sizes both limits of the bucket output and the budget', () => {
    const shipper = plan('eks', { bucket, buffer: { bytes: '512M', alertsPerSecond: 10 } })!.shipper!;
    expect(shipper.outageBudget.hours).toBeCloseTo(512 * 1024 ** 2 / (10 * 3072) / 3600, 10);
    expect(shipper.files['fluent-bit.conf']).toMatch(/store_dir_limit_size\s+512M\n/);
    expect(shipper.files['fluent-bit.conf']).toMatch(/storage.total_limit_size\s+512M\n/);
  });

  test('a rate that is not a positive number is refused at its place', () => {
    for (const alertsPerSecond of [0, -1, Number.NaN]) {
      expect(() => plan('eks', { bucket, buffer: { alertsPerSecond } })).toThrow(/^DS-DURABLE-055 at test\/durable\.buffer\.alertsPerSecond: .* is not an alert rate/);
    }
    expect(() => plan('eks', { bucket, buffer: { bytes: '0G' } })).toThrow(/DS-DURABLE-005 at test\/durable\.buffer\.bytes/);
  });
});
