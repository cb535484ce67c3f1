// Calls back once per animation frame while an element changes size (a new console beside
// it, the window resized, the side panel opened), so the terminal refits its rows and columns.

/** Watches element's size; returns the function that stops watching. */
export function watchSize(element: HTMLElement, onResize: () => void): () => void {
  let frame = 0;
  const schedule = () => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      onResize();
    });
  };
  let stopObserving: () => void;
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(schedule);
    observer.observe(element);
    stopObserving = () => observer.disconnect();
  } else {
    window.addEventListener('resize', schedule);
    stopObserving = () => window.removeEventListener('resize', schedule);
  }
  return () => {
    stopObserving();
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = 0;
  };
}
