// One source for each list and constant: the manifest's settings (enums, defaults, ranges) are the
// core's own lists, so the settings UI, the CLI and the webview can never disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USER_ROLES } from '../../src/core/logs/roles';
import { COLUMN_ROLES } from '../../src/core/logs';
import { EVAL_ROLES } from '../../src/core/evals/read';
import { DEFAULT_ANALYZE_OPTIONS, LAW_CHOICES, OPTION_SPECS, type AnalyzeOptions } from '../../src/core/options';
import { LAW_INFO, LAW_NAMES } from '../../src/core/fit/types';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; enum?: string[]; minimum?: number; maximum?: number; additionalProperties?: { enum: string[] } }> } };
};
const props = pkg.contributes.configuration.properties;

test('column roles: the setting\'s enum is the roles a user can pick, and "other" is not one', () => {
  assert.deepEqual(props['scalingLens.columnRoles'].additionalProperties!.enum, [...USER_ROLES]);
  assert.ok(!USER_ROLES.includes('other'));
  assert.deepEqual([...USER_ROLES, 'other'].sort(), [...COLUMN_ROLES].sort());
});

test('eval column roles: the setting\'s enum is the eval reader\'s roles', () => {
  assert.deepEqual(props['scalingLens.evalColumnRoles'].additionalProperties!.enum, [...EVAL_ROLES]);
});

test('laws: the default-law setting lists the core\'s laws, and every law has its table entry', () => {
  // The default law of a log is 'auto' or one of the log laws (the eval laws are chosen per eval file).
  assert.deepEqual(props['scalingLens.fit.defaultLaw'].enum, ['auto', ...LAW_NAMES]);
  for (const l of LAW_NAMES) assert.ok(LAW_CHOICES.includes(l), l);
  for (const l of LAW_NAMES) assert.ok(LAW_INFO[l].title && LAW_INFO[l].axis);
});

test('settings behind analysis options: same defaults and ranges as the core\'s option table', () => {
  const map: [string, keyof AnalyzeOptions][] = [
    ['tokensPerParam.reference', 'referenceRatio'], ['tokensPerParam.warnBelow', 'warnBelow'], ['tokensPerParam.warnAbove', 'warnAbove'],
    ['fit.bootstrapSamples', 'bootstrap'], ['fit.seed', 'seed'], ['fit.dropHighestLoss', 'dropHighestLoss'],
    ['fit.warmupPercent', 'warmupPercent'], ['fit.targetTokens', 'targetTokens'], ['fit.tokensPerStep', 'tokensPerStep'],
    ['diagnostics.minGainPercent', 'minGainPercent'], ['fit.timeBudgetSeconds', 'timeBudgetSeconds'], ['chart.logScale', 'logScale'],
    ['fit.startStrategy', 'strategy'], ['fit.skipEarlyPlateau', 'skipEarlyPlateau'],
  ];
  for (const [setting, key] of map) {
    const p = props[`scalingLens.${setting}`];
    assert.ok(p, setting);
    assert.deepEqual(p.default, DEFAULT_ANALYZE_OPTIONS[key], `${setting} default`);
    const spec = OPTION_SPECS[key];
    if (spec.kind === 'enum') assert.deepEqual(p.enum, [...spec.values], `${setting} values`);
    if (spec.kind === 'number') {
      assert.equal(p.minimum, spec.min, `${setting} minimum`);
      if (p.maximum !== undefined) assert.ok(p.maximum <= spec.max, `${setting} maximum ${p.maximum} > ${spec.max}`);
    }
  }
});
