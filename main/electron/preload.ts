/**
 * The preload (sandboxed): exposes the contract's named operations as `window.fieldbook` and
 * nothing else — no ipcRenderer, no paths, no Node. It may import only `electron` at run time
 * (a sandboxed preload cannot require other files), so the operation list is written out here;
 * the object's type makes the compiler check it against the contract.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Events, FieldbookApi } from '../ipc/contract';

const call =
  (operation: string) =>
  (...args: unknown[]) =>
    ipcRenderer.invoke(`fieldbook:${operation}`, ...args);
const EVENTS: readonly (keyof Events)[] = ['document-changed', 'job-progress', 'menu-command'];

const api: FieldbookApi = {
  windowDocument: call('windowDocument') as FieldbookApi['windowDocument'],
  documentInfo: call('documentInfo') as FieldbookApi['documentInfo'],
  listSites: call('listSites') as FieldbookApi['listSites'],
  listSamples: call('listSamples') as FieldbookApi['listSamples'],
  getSample: call('getSample') as FieldbookApi['getSample'],
  updateSample: call('updateSample') as FieldbookApi['updateSample'],
  addSample: call('addSample') as FieldbookApi['addSample'],
  setSampleTags: call('setSampleTags') as FieldbookApi['setSampleTags'],
  listTags: call('listTags') as FieldbookApi['listTags'],
  listDataIssues: call('listDataIssues') as FieldbookApi['listDataIssues'],
  setIssueResolved: call('setIssueResolved') as FieldbookApi['setIssueResolved'],
  exportSubset: call('exportSubset') as FieldbookApi['exportSubset'],
  exportForVersion: call('exportForVersion') as FieldbookApi['exportForVersion'],
  cancelJob: call('cancelJob') as FieldbookApi['cancelJob'],
  showBackup: call('showBackup') as FieldbookApi['showBackup'],
  showDocumentFile: call('showDocumentFile') as FieldbookApi['showDocumentFile'],
  showLastExport: call('showLastExport') as FieldbookApi['showLastExport'],
  addSite: call('addSite') as FieldbookApi['addSite'],
  updateSite: call('updateSite') as FieldbookApi['updateSite'],
  deleteSite: call('deleteSite') as FieldbookApi['deleteSite'],
  deleteSample: call('deleteSample') as FieldbookApi['deleteSample'],
  deletionCounts: call('deletionCounts') as FieldbookApi['deletionCounts'],
  addMeasurement: call('addMeasurement') as FieldbookApi['addMeasurement'],
  updateMeasurement: call('updateMeasurement') as FieldbookApi['updateMeasurement'],
  deleteMeasurement: call('deleteMeasurement') as FieldbookApi['deleteMeasurement'],
  listInstruments: call('listInstruments') as FieldbookApi['listInstruments'],
  undo: call('undo') as FieldbookApi['undo'],
  redo: call('redo') as FieldbookApi['redo'],
  undoState: call('undoState') as FieldbookApi['undoState'],
  openLatestBackup: call('openLatestBackup') as FieldbookApi['openLatestBackup'],
  salvage: call('salvage') as FieldbookApi['salvage'],
  openNotebook: call('openNotebook') as FieldbookApi['openNotebook'],
  newNotebook: call('newNotebook') as FieldbookApi['newNotebook'],
  openSampleNotebook: call('openSampleNotebook') as FieldbookApi['openSampleNotebook'],
  on(event, listener) {
    if (!EVENTS.includes(event)) throw new Error(`unknown event ${String(event)}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(`fieldbook:${event}`, wrapped);
    return () => void ipcRenderer.removeListener(`fieldbook:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('fieldbook', api);
