import { type RootSelection } from '@fieldbook/engine';
/**
 * Which samples a Fieldbook subset starts from. Keys combine with AND; the lists are OR within
 * themselves. An empty object selects every sample; an empty list selects none.
 */
export interface SampleSelection {
    sampleIds?: number[];
    siteIds?: number[];
    /** Tag names, compared without regard to case (as `tags.name` is). */
    tags?: string[];
    /** Collection date range, inclusive, `YYYY-MM-DD`. Samples without a date are left out when a bound is given. */
    collectedFrom?: string;
    collectedTo?: string;
}
/**
 * Checks a selection (structured data only: never SQL text) and turns it into a WHERE clause
 * over `samples` (alias `root`) with bound parameters.
 * @throws FieldbookError BAD_SELECTION for unknown keys or values of the wrong type
 */
export declare function selectSamples(selection: unknown): RootSelection;
