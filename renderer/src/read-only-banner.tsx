import { Icon } from './icon';

/** Why this notebook cannot be edited (it comes from a newer Fieldbook). */
export function ReadOnlyBanner({ reason }: { reason: string | null }) {
  return (
    <div className="banner banner-warning" data-testid="banner-readonly" role="status">
      <Icon name="lock" className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">Opened read-only</p>
        <p className="banner-detail">{reason ?? 'This notebook can be read but not changed.'} To edit it, use the newer Fieldbook that last saved it.</p>
      </div>
    </div>
  );
}

/** The notebook is on a network or removable drive, where SQLite's file locking is unreliable. */
export function StorageBanner({ warning }: { warning: string }) {
  return (
    <div className="banner banner-warning" data-testid="banner-storage" role="status">
      <Icon name="alert" className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">This notebook is not on a local disk</p>
        <p className="banner-detail">{warning.replace(/\.?$/, '.')}</p>
      </div>
    </div>
  );
}
