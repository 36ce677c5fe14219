// Virtualised rows (TanStack Virtual's framework-free core): only the rows in view and a
// few around them are in the DOM, so 10,000 accounts or 1M usage rows scroll smoothly.
import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
} from "@tanstack/virtual-core";
import { useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";

export const ROW_HEIGHT = 34;

/** A virtualizer bound to the scroll container `ref` for `count` rows of fixed height. */
export function useVirtualRows(count: number, rowHeight = ROW_HEIGHT) {
  const ref = useRef<HTMLDivElement>(null);
  /** The header row's container: scrolled sideways with the body. */
  const head = useRef<HTMLDivElement>(null);
  const onScroll = (e: { currentTarget: HTMLDivElement }) => {
    if (head.current) head.current.scrollLeft = e.currentTarget.scrollLeft;
  };
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, Element>({
        count,
        getScrollElement: () => ref.current,
        estimateSize: () => rowHeight,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        overscan: 12,
        // happy-dom and the first paint have no size yet: assume a screenful
        initialRect: { width: 1000, height: 600 },
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count });
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());
  const items: VirtualItem[] = virtualizer.getVirtualItems();
  return { ref, head, onScroll, virtualizer, items, total: virtualizer.getTotalSize() };
}
