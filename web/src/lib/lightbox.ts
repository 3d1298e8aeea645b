/** Navigation rules of the screenshot lightbox, kept out of the component so they are unit-tested. */

/** `i` wrapped into 0..n-1 (stepping past the last image shows the first). */
export function wrapIndex(i: number, n: number): number {
  if (n <= 0) return 0;
  return ((i % n) + n) % n;
}

/**
 * Step for a finished touch or pen gesture: a mostly horizontal swipe of at least `threshold` pixels goes to the
 * previous (+dx) or next (-dx) image; a tap or a vertical drag does nothing.
 */
export function swipeStep(dx: number, dy: number, threshold = 40): -1 | 0 | 1 {
  if (Math.abs(dx) < threshold || Math.abs(dx) < Math.abs(dy) * 1.5) return 0;
  return dx < 0 ? 1 : -1;
}

/** Step for a key pressed in the lightbox (Escape is the dialog's own). */
export function keyStep(key: string): -1 | 0 | 1 {
  if (key === 'ArrowRight' || key === 'PageDown') return 1;
  if (key === 'ArrowLeft' || key === 'PageUp') return -1;
  return 0;
}
