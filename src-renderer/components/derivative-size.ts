// The pixel size of a photo's large derivative (derivatives are never enlarged), so a loupe can lay out 100 %
// before the picture has loaded.
import { DERIVATIVE_SIZES } from '../../src-shared/defaults';

export function largeDerivativeSize(photo: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, DERIVATIVE_SIZES.large / Math.max(photo.width, photo.height));
  return { width: Math.round(photo.width * scale), height: Math.round(photo.height * scale) };
}
