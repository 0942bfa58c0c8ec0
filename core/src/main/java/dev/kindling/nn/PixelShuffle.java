package dev.kindling.nn;

import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Tensor;

/** [N, C r^2, H, W] to [N, C, H r, W r], as {@code torch.nn.PixelShuffle}. */
public final class PixelShuffle extends Module {
    private final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) { this.upscaleFactor = upscaleFactor; }

    @Override
    public Tensor forward(Tensor input) { return F.pixelShuffle(input, upscaleFactor); }

    @Override
    protected String extraRepr() { return "upscale_factor=" + upscaleFactor; }
}
