import { useEffect, useState, type RefObject } from 'react';

/** The element's content size in CSS pixels, kept current as the window and panes resize (0 × 0 before layout). */
export function useElementSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () =>
      setSize((old) => {
        const next = { width: Math.floor(element.clientWidth), height: Math.floor(element.clientHeight) };
        return old.width === next.width && old.height === next.height ? old : next;
      });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
