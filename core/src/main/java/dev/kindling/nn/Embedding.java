package dev.kindling.nn;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.functional.F;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * A lookup table of numEmbeddings vectors, as {@code torch.nn.Embedding}: weight starts standard
 * normal, the paddingIdx row (if any) starts at zero and receives no gradient.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, null); }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx " + paddingIdx + " must be within num_embeddings " + numEmbeddings);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        Tensor w = registerParameter("weight", Tensors.empty(numEmbeddings, embeddingDim));
        Init.normal_(w, 0, 1, Generator.defaultGenerator());
        if (this.paddingIdx != null) {
            try (var g = GradMode.noGrad()) {
                w.select(0, this.paddingIdx).fill_(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) { return F.embedding(input, param("weight"), paddingIdx); }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
