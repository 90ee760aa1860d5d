/**
 * ChargeMigrationStep (charge_migration): declared from jwst 3.0, not implemented yet.
 * Source: jwst/charge_migration/charge_migration_step.py (the spec line has no comment; doc from the step docs).
 */
import { param } from '../../stpipe/index.ts';
import { declaredStep } from '../declared.ts';

export const step = declaredStep({
  name: 'charge_migration',
  className: 'ChargeMigrationStep',
  summary: 'Flag groups affected by charge migration (CHARGELOSS)',
  usedFor: 'NIR detectors in calwebb_detector1 (skipped by default)',
  skipByDefault: true,
  referenceTypes: [],
  spec: {
    signal_threshold: param.float(25000, 'Signal level (DN) above which groups are flagged CHARGELOSS', { unit: 'DN' }),
  },
});
