import type { ImageSummary } from './types';

/**
 * Retired AMIs, for the view filter that hides them: disabled (cannot be launched or shared) or deprecated
 * (its deprecation time has passed; recipients' default listings hide it already).
 */
export function isRetiredImage(image: Pick<ImageSummary, 'state' | 'deprecationTime'>, now: number): boolean {
  if (image.state === 'disabled') return true;
  return image.deprecationTime !== undefined && Date.parse(image.deprecationTime) <= now;
}
