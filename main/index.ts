/**
 * The fieldbook package: the document engine (`@fieldbook/engine`, re-exported), Fieldbook's
 * engine configuration, the sample selection its subsets start from, and the Sequelize models
 * of the head schema.
 */
export * from '@fieldbook/engine';
export {
  fieldbookEngine,
  fieldbookMigrationsDir,
  fieldbookAppVersion,
  FIELDBOOK_APPLICATION_ID,
  FIELDBOOK_APPLICATION_ID_FBK1,
  type FieldbookEngineSettings,
} from './fieldbook/fieldbook-engine';
export { selectSamples, type SampleSelection } from './fieldbook/sample-selection';
export { defineModels } from './models';
