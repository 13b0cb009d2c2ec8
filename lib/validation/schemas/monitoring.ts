// The schema of the stack's own monitoring props (MonitoringProps).
import { z } from 'zod';
import type { MonitoringProps } from '../../monitoring/props';
import { props } from '../build';
import { labels } from '../kubernetes';
import { assertSameType, SameType } from '../same-type';

export const MonitoringPropsSchema = props('MonitoringProps', {
  prometheus: props('PrometheusProps', {
    namespace: z.string(),
    podLabels: labels().optional(),
    resourceLabels: labels().optional(),
    scrapeInterval: z.string().optional(),
  }),
  alerts: z.union([z.literal(false), props('StackAlertsProps', {
    team: z.string().optional(),
    runbookBaseUrl: z.string().optional(),
    noAlertsFor: z.union([z.string(), z.literal(false)]).optional(),
    noisyRule: z.union([z.literal(false), props('NoisyRuleProps', { maxPerDay: z.number().optional() })]).optional(),
    maxDropRatio: z.number().optional(),
    sensorMissingFor: z.string().optional(),
  })]).optional(),
  dashboards: z.union([z.literal(false), props('DashboardsProps', { label: labels().optional(), namespace: z.string().optional() })]).optional(),
});

assertSameType<SameType<z.output<typeof MonitoringPropsSchema>, MonitoringProps>>();
