import type { TetragonSensorProps } from '../../lib/tetragon/props';
import { EKS, refusalOf } from '../helpers/refusal';

const tetragon = (extra: Partial<TetragonSensorProps>) => refusalOf({ ...EKS, sensors: { tetragon: { productNamespaces: ['billing'], ...extra } } });

describe('the Tetragon sensor refuses what it cannot render, naming the prop', () => {
  test.each([
    ['a path in the export file name', { export: { fileName: '../etc/tetragon.log' } },
      "DS-TETRA-050 at stack/sensors.tetragon.export.fileName: '../etc/tetragon.log' is not a plain file name"],
    ['a zero size of the export file', { export: { maxSizeMb: 0 } },
      'DS-TETRA-057 at stack/sensors.tetragon.export.maxSizeMb: 0 is not a positive whole number'],
    ['a fractional number of backups', { export: { maxBackups: 2.5 } },
      'DS-TETRA-057 at stack/sensors.tetragon.export.maxBackups: 2.5 is not a positive whole number'],
  ])('%s', (_name, extra, expected) => {
    expect(tetragon(extra as Partial<TetragonSensorProps>)).toBe(expected);
  });

  test('an unknown seed pattern is refused by the props schema before the planner runs (one code, DS-PROPS-012)', () => {
    expect(tetragon({ seedPatterns: ['shell-in-contaner' as never] }))
      .toBe("DS-PROPS-012 at stack/sensors.tetragon.seedPatterns[0]: sensors.tetragon.seedPatterns[0] is 'shell-in-contaner', not one of the allowed values");
  });
});
