/** The median of a typed array in linear time, for the robust fits of the spot finder. */

/**
 * The median (the upper one for an even count) by quickselect on a copy, O(n) on average: the fit
 * takes six medians of ~10,000 band cells, which sorting made the finder's costliest step.
 */
export function median(values: Float32Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const a = Float32Array.from(values);
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}
