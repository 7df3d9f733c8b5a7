import { useRef, useState } from 'react';
import { useWindowCommands } from './window-commands';
import { useFading, WindowBanners } from './window-banners';
import type { SampleDetail, SiteSummary, WindowDocument } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { ConfirmDelete, type Deletion } from './confirm-delete';
import { MeasurementForm, type MeasurementFormMode } from './measurement-form';
import type { ShortcutAction } from './shortcuts';
import { SiteForm, type SiteFormMode } from './site-form';
import { StatusMessage } from './status-message';
import { useUndo } from './use-undo';
import { Icon } from './icon';
import { DataIssuesPanel } from './data-issues-panel';
import { DocumentInfoPanel } from './document-info-panel';
import { ExportSubsetDialog } from './export-subset-dialog';
import { ExportVersionDialog } from './export-version-dialog';
import { CsvExportDialog } from './csv-export-dialog';
import { CsvImportDialog } from './csv-import-dialog';
import { LookPane, type LookTab } from './look-pane';
import { SampleDetailPanel } from './sample-detail';
import { SampleForm, type SampleFormMode } from './sample-form';
import { SamplePane } from './sample-pane';
import { SiteList, type SiteFilter } from './site-list';
import { Toolbar, type ToolbarAction } from './toolbar';
import { useDebouncedValue } from './use-debounced-value';
import { useLoader } from './use-loader';
import { DEFAULT_VIEW, sampleQueryOf, useSampleList, type SampleListView } from './use-sample-list';

type OpenDialog = ToolbarAction | { form: SampleFormMode } | { siteForm: SiteFormMode } | { confirm: Deletion } | { measurement: MeasurementFormMode } | null;

/**
 * A ready document: sites, the samples of the chosen site (with full-text search), the selected
 * sample, and the document-wide panels and exports. In a read-only notebook every edit control
 * is present but disabled.
 */
export function DocumentWindow({ document: doc }: { document: WindowDocument }) {
  const documentId = doc.id;
  // The engine refuses to export a notebook from a newer Fieldbook (TOO_NEW): nothing offers it.
  const exportBlocked = doc.status === 'newer';
  const [site, setSite] = useState<SiteFilter>('all');
  const [search, setSearch] = useState('');
  const [view, setView] = useState<SampleListView>(DEFAULT_VIEW);
  const appliedSearch = useDebouncedValue(search, 200);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [lookTab, setLookTab] = useState<LookTab>('sample');
  // Choosing a sample (in the list, from a data issue, by saving one) shows it.
  const select = (id: number) => {
    setSelectedId(id);
    setLookTab('sample');
  };
  const [dialog, setDialog] = useState<OpenDialog>(null);
  // Counts the edits made in this window; lists, counts and the detail reload when it changes.
  const [changes, setChanges] = useState(0);
  const [upgradeSeen, setUpgradeSeen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  useFading(announcement, () => setAnnouncement(''));
  const searchRef = useRef<HTMLInputElement>(null);

  const sites = useLoader(() => api.listSites(documentId), [documentId, changes]);
  const openIssues = useLoader(() => api.listDataIssues(documentId, false), [documentId]);
  const samples = useSampleList(documentId, site, appliedSearch, view, changes);
  const tags = useLoader(() => api.listTags(documentId), [documentId, changes]);
  const siteName = site === 'all' ? null : (sites.value?.find((s) => s.id === site)?.name ?? 'Site');
  const listed = samples.samples?.find((s) => s.id === selectedId);
  const selectedSample = selectedId === null ? null : { id: selectedId, code: listed?.code ?? `sample ${selectedId}` };
  const addMode: SampleFormMode = { kind: 'add', siteId: site === 'all' ? null : site, siteName };

  const changed = (message: string) => {
    setChanges((c) => c + 1);
    setAnnouncement(message);
  };
  const undo = useUndo(documentId, changes, changed);
  const [editError, setEditError] = useState<AppError | null>(null);

  // Shortcuts and the Edit menu: undo, redo, new sample, find, delete the selected sample. None
  // acts while a dialog is open (its own fields and buttons have the keyboard).
  const perform = (action: ShortcutAction) => {
    if (document.querySelector('dialog[open]')) return;
    if (action === 'find') {
      searchRef.current?.focus();
      searchRef.current?.select();
    } else if (doc.readOnly) {
      return;
    } else if (action === 'undo') undo.undo();
    else if (action === 'redo') undo.redo();
    else if (action === 'new-sample') setDialog({ form: addMode });
    else if (action === 'delete-sample' && selectedId !== null) setDialog({ confirm: { kind: 'sample', id: selectedId, name: listed?.code ?? `sample ${selectedId}` } });
  };
  // Menu commands that open a panel or an export (File ▸ Export Subset…, View ▸ Data Issues, ...)
  // do what the toolbar does; they may replace an open info or issues panel, never a form or an export.
  useWindowCommands(perform, (action) => {
    if ((action === 'export' || action === 'export-version') && exportBlocked) return;
    if (action === 'csv-import' && doc.readOnly) return;
    setDialog((open) => (open === null || open === 'info' || open === 'issues' ? action : open));
  });

  const deleteMeasurement = (id: number) => {
    setEditError(null);
    api.deleteMeasurement(documentId, id).then(
      () => changed('Deleted the measurement; it can be undone.'),
      (e: unknown) => setEditError(toAppError(e)),
    );
  };

  const onSaved = (sample: SampleDetail, closing: boolean) => {
    setChanges((c) => c + 1);
    select(sample.id);
    if (closing) {
      setDialog(null);
      setAnnouncement(`Saved sample ${sample.code} in the notebook.`);
    }
  };
  return (
    <div className="document-window">
      <Toolbar document={doc} openIssues={openIssues.value?.length} exportBlocked={exportBlocked} onAction={setDialog} undo={undo} />
      <WindowBanners doc={doc} upgradeSeen={upgradeSeen} onDismissUpgrade={() => setUpgradeSeen(true)} />
      <main className="workspace">
        <SiteList
          sites={sites}
          selected={site}
          onSelect={setSite}
          readOnly={doc.readOnly}
          onAdd={() => setDialog({ siteForm: { kind: 'add' } })}
          onEdit={(s: SiteSummary) => setDialog({ siteForm: { kind: 'edit', site: s } })}
        />
        <SamplePane
          scopeName={siteName ?? 'All samples'}
          siteSelected={site !== 'all'}
          search={search}
          onSearch={setSearch}
          appliedSearch={appliedSearch}
          list={samples}
          view={view}
          onView={setView}
          tags={tags.value ?? []}
          selectedId={selectedId}
          onSelect={select}
          onSearchAll={() => setSite('all')}
          onAdd={() => setDialog({ form: addMode })}
          readOnly={doc.readOnly}
          searchRef={searchRef}
        />
        <LookPane documentId={documentId} tab={lookTab} onTab={setLookTab} site={site} sites={sites.value} changes={changes} onSelectSite={setSite}>
          <SampleDetailPanel
            documentId={documentId}
            sampleId={selectedId}
            changes={changes}
            readOnly={doc.readOnly}
            onEdit={(sample) => setDialog({ form: { kind: 'edit', sample } })}
            onDelete={(sample) => setDialog({ confirm: { kind: 'sample', id: sample.id, name: sample.code } })}
            onAddMeasurement={(sample) => setDialog({ measurement: { kind: 'add', sampleId: sample.id, sampleCode: sample.code } })}
            onEditMeasurement={(sample, measurement) => setDialog({ measurement: { kind: 'edit', sampleCode: sample.code, measurement } })}
            onDeleteMeasurement={(measurement) => deleteMeasurement(measurement.id)}
            onChanged={(message) => {
              setEditError(null);
              changed(message);
            }}
            onError={setEditError}
          />
        </LookPane>
      </main>
      {announcement && (
        <div className="saved-toast" data-testid="saved-toast" role="status" key={announcement}>
          <Icon name="check" /> {announcement}
        </div>
      )}

      {dialog === 'info' && <DocumentInfoPanel documentId={documentId} onClose={() => setDialog(null)} />}
      {dialog === 'issues' && (
        <DataIssuesPanel
          documentId={documentId}
          readOnly={doc.readOnly}
          onClose={() => setDialog(null)}
          onChanged={openIssues.reload}
          onShowSample={(id) => {
            select(id);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'export' && <ExportSubsetDialog documentId={documentId} onClose={() => setDialog(null)} selectedSample={selectedSample} listedSamples={samples.samples ?? []} />}
      {dialog === 'export-version' && <ExportVersionDialog documentId={documentId} onClose={() => setDialog(null)} />}
      {dialog === 'csv-export' && (
        <CsvExportDialog
          documentId={documentId}
          query={sampleQueryOf(site, appliedSearch, view)}
          scopeName={siteName ?? 'All samples'}
          total={samples.total}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'csv-import' && (
        <CsvImportDialog
          documentId={documentId}
          onClose={() => setDialog(null)}
          onImported={(outcome) => changed(`Imported ${outcome.imported} measurement${outcome.imported === 1 ? '' : 's'} from ${outcome.name}; it can be undone.`)}
        />
      )}
      {(undo.error ?? editError) && (
        <div className="edit-error-toast">
          <StatusMessage kind="error" error={(undo.error ?? editError)!}>
            {undo.error ? 'It could not be undone.' : 'The change was not made.'}
          </StatusMessage>
        </div>
      )}
      {dialog !== null && typeof dialog === 'object' && 'form' in dialog && (
        <SampleForm documentId={documentId} mode={dialog.form} onSaved={onSaved} onClose={() => setDialog(null)} />
      )}
      {dialog !== null && typeof dialog === 'object' && 'siteForm' in dialog && (
        <SiteForm
          documentId={documentId}
          mode={dialog.siteForm}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            changed(`Saved site ${saved.name} in the notebook.`);
          }}
          onDelete={(s) => setDialog({ confirm: { kind: 'site', id: s.id, name: s.name } })}
        />
      )}
      {dialog !== null && typeof dialog === 'object' && 'confirm' in dialog && (
        <ConfirmDelete
          documentId={documentId}
          deletion={dialog.confirm}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            const deleted = dialog.confirm;
            setDialog(null);
            if (deleted.kind === 'sample' && selectedId === deleted.id) setSelectedId(null);
            if (deleted.kind === 'site' && site === deleted.id) setSite('all');
            changed(`Deleted ${deleted.kind} ${deleted.name}; it can be undone.`);
          }}
        />
      )}
      {dialog !== null && typeof dialog === 'object' && 'measurement' in dialog && (
        <MeasurementForm
          documentId={documentId}
          mode={dialog.measurement}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            changed('Saved the measurement in the notebook.');
          }}
        />
      )}
    </div>
  );
}
