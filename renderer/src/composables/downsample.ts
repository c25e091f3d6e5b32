import { lowerBound, upperBound } from './seriesBuffer.js';

export interface Downsampled {
  /** Shared x values (times multiplied by xScale), increasing. */
  x: number[];
  /** One array per input series, aligned with x; null where a series has no value (a gap). */
  ys: (number | null)[][];
}

/**
 * Min/max per pixel column: the samples in [from, to] are cut into `width` columns; each column keeps, for every
 * series, its minimum and maximum in the order they occurred, at the column's first and last sample time. A line
 * drawn through the result covers exactly the pixels the full-resolution line would, with at most 2 points per
 * column, so the cost of a redraw depends on the chart's width, not on how long the session ran.
 * When there are no more samples than 2 × width, they are returned as they are.
 */
export function downsampleMinMax(
  times: ArrayLike<number>,
  length: number,
  series: ReadonlyArray<ArrayLike<number>>,
  from: number,
  to: number,
  width: number,
  xScale = 1,
): Downsampled {
  const start = lowerBound(times, length, from);
  const end = upperBound(times, length, to);
  const count = Math.max(0, end - start);
  const columns = Math.max(1, Math.floor(width));
  if (count <= 2 * columns) {
    const x = new Array<number>(count);
    for (let i = 0; i < count; i++) x[i] = times[start + i] * xScale;
    const ys = series.map((values) => {
      const out = new Array<number | null>(count);
      for (let i = 0; i < count; i++) {
        const value = values[start + i];
        out[i] = Number.isNaN(value) ? null : value;
      }
      return out;
    });
    return { x, ys };
  }

  // Column boundaries (indices into times) and the x of each output slot.
  const span = to - from || 1;
  const bounds: number[] = [];
  let previousColumn = -1;
  for (let i = start; i < end; i++) {
    let column = Math.floor(((times[i] - from) / span) * columns);
    if (column >= columns) column = columns - 1;
    if (column !== previousColumn) {
      bounds.push(i);
      previousColumn = column;
    }
  }
  bounds.push(end);
  const x: number[] = [];
  const slots: number[] = []; // per column: 1 or 2 output slots
  for (let c = 0; c + 1 < bounds.length; c++) {
    const first = bounds[c];
    const last = bounds[c + 1] - 1;
    x.push(times[first] * xScale);
    if (last > first) {
      x.push(times[last] * xScale);
      slots.push(2);
    } else slots.push(1);
  }

  const ys = series.map((values) => {
    const out = new Array<number | null>(x.length);
    let o = 0;
    for (let c = 0; c < slots.length; c++) {
      const first = bounds[c];
      const stop = bounds[c + 1];
      let min = Infinity;
      let max = -Infinity;
      let minAt = -1;
      let maxAt = -1;
      for (let i = first; i < stop; i++) {
        const value = values[i];
        if (value !== value) continue; // NaN: no sample for this series
        if (value < min) {
          min = value;
          minAt = i;
        }
        if (value > max) {
          max = value;
          maxAt = i;
        }
      }
      if (slots[c] === 1) {
        out[o++] = minAt < 0 ? null : min;
      } else if (minAt < 0) {
        out[o++] = null;
        out[o++] = null;
      } else if (minAt <= maxAt) {
        out[o++] = min;
        out[o++] = max;
      } else {
        out[o++] = max;
        out[o++] = min;
      }
    }
    return out;
  });
  return { x, ys };
}
