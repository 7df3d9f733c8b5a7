/** The WHERE clause (over the root table, aliased `root`; other tables as `src.<name>`) that picks the rows a subset starts from. */
export interface RootSelection {
  where: string;
  params: unknown[];
}

/**
 * How an app's documents are cut into subsets. The engine computes everything else from the
 * document's foreign keys; this says only where a subset starts and which rows point at other
 * rows without a foreign key.
 */
export interface SubsetConfig {
  /** The table whose rows a selection picks (Fieldbook: `samples`). */
  rootTable: string;
  /** Validates a selection and turns it into a WHERE clause; throws FieldbookError BAD_SELECTION. */
  select(selection: unknown): RootSelection;
  /**
   * Tables whose rows refer to a row of any table by name and id instead of a foreign key
   * (Fieldbook: data_issues(table_name, row_id)). Such a row comes along when the row it is about does.
   */
  rowReferences?: readonly { table: string; tableColumn: string; rowColumn: string }[];
}
