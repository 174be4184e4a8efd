import { compareCodeUnits } from './collections';
import type { ImageSummary } from './types';

/**
 * The one order of AMIs in a listing and in the tree: newest first (ISO 8601 times compare as text), AMIs
 * without a creation date last, ties by ID.
 */
export function newestFirst(a: ImageSummary, b: ImageSummary): number {
  return compareCodeUnits(b.creationDate ?? '', a.creationDate ?? '') || compareCodeUnits(a.imageId, b.imageId);
}
