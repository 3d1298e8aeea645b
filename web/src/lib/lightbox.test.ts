import { describe, expect, it } from 'vitest';
import { keyStep, swipeStep, wrapIndex } from './lightbox';

describe('lightbox navigation', () => {
  it('wraps around both ends', () => {
    expect(wrapIndex(3, 3)).toBe(0);
    expect(wrapIndex(-1, 3)).toBe(2);
    expect(wrapIndex(1, 3)).toBe(1);
    expect(wrapIndex(5, 0)).toBe(0);
  });

  it('turns a horizontal swipe into a step and ignores taps and vertical drags', () => {
    expect(swipeStep(-80, 10)).toBe(1);
    expect(swipeStep(80, -5)).toBe(-1);
    expect(swipeStep(10, 0)).toBe(0);
    expect(swipeStep(60, 70)).toBe(0);
  });

  it('maps arrow and page keys', () => {
    expect(keyStep('ArrowRight')).toBe(1);
    expect(keyStep('ArrowLeft')).toBe(-1);
    expect(keyStep('PageDown')).toBe(1);
    expect(keyStep('Enter')).toBe(0);
  });
});
