import { useEffect, useRef, useState } from 'react';
import type { MenuCommand, SampleDetail, WindowDocument } from '../../main/ipc/contract';
import { api } from './api';
import { Icon } from './icon';
import { DataIssuesPanel } from './data-issues-panel';
import { DocumentInfoPanel } from './document-info-panel';
import { ExportSubsetDialog } from './export-subset-dialog';
import { ExportVersionDialog } from './export-version-dialog';
import { ReadOnlyBanner, StorageBanner } from './read-only-banner';
import { CheckingNotice, DamagedBanner } from './damaged-banner';
import { SampleDetailPanel } from './sample-detail';
import { SampleForm, type SampleFormMode } from './sample-form';
import { SamplePane } from './sample-pane';
import { SiteList, type SiteFilter } from './site-list';
import { Toolbar, type ToolbarAction } from './toolbar';
import { UpgradedBanner } from './upgraded-banner';
import { useDebouncedValue } from './use-debounced-value';
import { useLoader } from './use-loader';
import { DEFAULT_VIEW, useSampleList, type SampleListView } from './use-sample-list';

type OpenDialog = ToolbarAction | { form: SampleFormMode } | null;

const MENU_ACTIONS: Record<MenuCommand, ToolbarAction> = {
  'export-subset': 'export',
  'export-for-version': 'export-version',
  'document-info': 'info',
  'data-issues': 'issues',
};

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
  const [dialog, setDialog] = useState<OpenDialog>(null);
  // Counts the edits made in this window; lists, counts and the detail reload when it changes.
  const [changes, setChanges] = useState(0);
  const [upgradeSeen, setUpgradeSeen] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  const sites = useLoader(() => api.listSites(documentId), [documentId, changes]);
  const openIssues = useLoader(() => api.listDataIssues(documentId, false), [documentId]);
  const samples = useSampleList(documentId, site, appliedSearch, view, changes);
  const tags = useLoader(() => api.listTags(documentId), [documentId, changes]);
  const siteName = site === 'all' ? null : sites.value?.find((s) => s.id === site)?.name ?? 'Site';
  const listed = samples.samples?.find((s) => s.id === selectedId);
  const selectedSample = selectedId === null ? null : { id: selectedId, code: listed?.code ?? `sample ${selectedId}` };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f' && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Menu commands (File ▸ Export Subset…, View ▸ Data Issues, ...) open the same panels as the
  // toolbar. They may replace an open info or issues panel, never a form or an export.
  useEffect(() => api.on('menu-command', (command) => {
    const action = MENU_ACTIONS[command];
    if (!action) return;
    if ((action === 'export' || action === 'export-version') && exportBlocked) return;
    setDialog((open) => (open === null || open === 'info' || open === 'issues' ? action : open));
  }), [exportBlocked]);

  const onSaved = (sample: SampleDetail, closing: boolean) => {
    setChanges((c) => c + 1);
    setSelectedId(sample.id);
    if (closing) {
      setDialog(null);
      setAnnouncement(`Saved sample ${sample.code} in the notebook.`);
    }
  };
  // The "saved" note stays a few seconds (a new save shows its own).
  useEffect(() => {
    if (!announcement) return undefined;
    const timer = setTimeout(() => setAnnouncement(''), 5000);
    return () => clearTimeout(timer);
  }, [announcement]);

  const addMode: SampleFormMode = { kind: 'add', siteId: site === 'all' ? null : site, siteName };

  return (
    <div className="document-window">
      <Toolbar document={doc} openIssues={openIssues.value?.length} exportBlocked={exportBlocked} onAction={setDialog} />
      {(doc.upgraded && !upgradeSeen) || doc.readOnly || doc.check === 'checking' || doc.storageWarning ? (
        <div className="banners">
          {doc.upgraded && !upgradeSeen && <UpgradedBanner documentId={documentId} upgraded={doc.upgraded} onDismiss={() => setUpgradeSeen(true)} />}
          {doc.check === 'damaged' && <DamagedBanner documentId={documentId} damage={doc.damage} />}
          {doc.readOnly && doc.check !== 'damaged' && <ReadOnlyBanner reason={doc.readOnlyReason} />}
          {doc.storageWarning && <StorageBanner warning={doc.storageWarning} />}
          {doc.check === 'checking' && <CheckingNotice />}
        </div>
      ) : null}
      <main className="workspace">
        <SiteList sites={sites} selected={site} onSelect={setSite} />
        <SamplePane scopeName={siteName ?? 'All samples'} siteSelected={site !== 'all'} search={search} onSearch={setSearch}
          appliedSearch={appliedSearch} list={samples} view={view} onView={setView} tags={tags.value ?? []} selectedId={selectedId} onSelect={setSelectedId}
          onSearchAll={() => setSite('all')} onAdd={() => setDialog({ form: addMode })} readOnly={doc.readOnly} searchRef={searchRef} />
        <SampleDetailPanel documentId={documentId} sampleId={selectedId} changes={changes} readOnly={doc.readOnly}
          onEdit={(sample) => setDialog({ form: { kind: 'edit', sample } })} />
      </main>
      {announcement && (
        <div className="saved-toast" data-testid="saved-toast" role="status" key={announcement}>
          <Icon name="check" /> {announcement}
        </div>
      )}

      {dialog === 'info' && <DocumentInfoPanel documentId={documentId} onClose={() => setDialog(null)} />}
      {dialog === 'issues' && <DataIssuesPanel documentId={documentId} readOnly={doc.readOnly} onClose={() => setDialog(null)} onChanged={openIssues.reload}
        onShowSample={(id) => { setSelectedId(id); setDialog(null); }} />}
      {dialog === 'export' && (
        <ExportSubsetDialog documentId={documentId} onClose={() => setDialog(null)}
          selectedSample={selectedSample} listedSamples={samples.samples ?? []} />
      )}
      {dialog === 'export-version' && <ExportVersionDialog documentId={documentId} onClose={() => setDialog(null)} />}
      {dialog !== null && typeof dialog === 'object' && (
        <SampleForm documentId={documentId} mode={dialog.form} onSaved={onSaved} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
