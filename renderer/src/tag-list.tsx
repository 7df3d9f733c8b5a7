/** A sample's tags as chips (the list is always there, so an empty one is still found). */
export function TagList({ tags }: { tags: string[] }) {
  return (
    <>
      <ul data-testid="tag-list" className="tag-list" role="list" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag} className="chip">
            {tag}
          </li>
        ))}
      </ul>
      {tags.length === 0 && <p className="muted small">No tags.</p>}
    </>
  );
}
