/** The fieldbook package: the document engine (plain Node) and the Sequelize models of the head schema. */
export * from './engine';
export { defineModels } from './models';
