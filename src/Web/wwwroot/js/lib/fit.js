// @ts-check

/**
 * Finds the largest size (whole pixels) between min and max at which a box's content fits the box without scrolling
 * either way, and leaves it set as a CSS custom property on the box (its CSS sizes its text from that property).
 * Binary search: about seven layouts for any range a screen needs. At min it may still not fit; the caller decides.
 * @param {HTMLElement} box @param {string} property e.g. "--q-size" @param {{ min: number, max: number }} range
 * @returns {number} the size set
 */
export function fitText(box, property, { min, max }) {
  const fits = () => fitsWhole(box);
  let low = min;
  let high = Math.max(min, max);
  box.style.setProperty(property, `${high}px`);
  if (fits()) {
    return high;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    box.style.setProperty(property, `${mid}px`);
    if (fits()) {
      low = mid;
    } else {
      high = mid;
    }
  }
  box.style.setProperty(property, `${low}px`);
  return low;
}

/** Whether a box shows all of its content (nothing to scroll either way). @param {HTMLElement} box */
export function fitsWhole(box) {
  return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
}
