package dev.kindling.nn.functional;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.Arrays;

/**
 * Pixel shuffle and its inverse: channel blocks of r x r become spatial blocks and back, as one
 * reshape, permute, reshape (so the gradient is the inverse rearrangement).
 */
final class PixelShuffles {
    private PixelShuffles() {}

    static Tensor shuffle(Tensor x, int r) {
        Image im = Image.of("pixelShuffle", x);
        if (r <= 0 || im.c % (r * r) != 0) {
            throw new IllegalArgumentException("pixelShuffle: channels " + im.c + " must be divisible by upscale_factor^2 = " + (r * r));
        }
        int c = im.c / (r * r);
        return rearrange(x, im.batch, new int[] {c, r, r, im.h, im.w}, new int[] {0, 3, 1, 4, 2}, new int[] {c, im.h * r, im.w * r});
    }

    static Tensor unshuffle(Tensor x, int r) {
        Image im = Image.of("pixelUnshuffle", x);
        if (r <= 0 || im.h % r != 0 || im.w % r != 0) {
            throw new IllegalArgumentException("pixelUnshuffle: height " + im.h + " and width " + im.w
                    + " must be divisible by downscale_factor " + r);
        }
        return rearrange(x, im.batch, new int[] {im.c, im.h / r, r, im.w / r, r}, new int[] {0, 2, 4, 1, 3},
                new int[] {im.c * r * r, im.h / r, im.w / r});
    }

    /** x viewed as batch + split, its split dims permuted by order, then reshaped to batch + out. */
    private static Tensor rearrange(Tensor x, int[] batch, int[] split, int[] order, int[] out) {
        int b = batch.length;
        int[] perm = new int[b + order.length];
        for (int i = 0; i < b; i++) perm[i] = i;
        for (int i = 0; i < order.length; i++) perm[b + i] = b + order[i];
        return x.reshape(concat(batch, split)).permute(perm).reshape(concat(batch, out));
    }

    private static int[] concat(int[] head, int[] tail) {
        int[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** The leading batch dims and the trailing channels, height and width of an image tensor. */
    private record Image(int[] batch, int c, int h, int w) {
        static Image of(String op, Tensor x) {
            if (x.dim() < 3) throw new IllegalArgumentException(op + ": expected at least 3 dims but got shape " + Shapes.str(x.shape()));
            return new Image(Arrays.copyOf(x.shape(), x.dim() - 3), x.size(-3), x.size(-2), x.size(-1));
        }
    }
}
