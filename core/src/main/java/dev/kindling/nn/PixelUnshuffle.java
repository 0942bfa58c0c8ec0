package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** [N, C, H r, W r] to [N, C r^2, H, W], as {@code torch.nn.PixelUnshuffle}. */
public final class PixelUnshuffle extends Module {
    private final int downscaleFactor;

    public PixelUnshuffle(int downscaleFactor) { this.downscaleFactor = downscaleFactor; }

    @Override
    public Tensor forward(Tensor input) { return F.pixelUnshuffle(input, downscaleFactor); }

    @Override
    protected String extraRepr() { return "downscale_factor=" + downscaleFactor; }
}
