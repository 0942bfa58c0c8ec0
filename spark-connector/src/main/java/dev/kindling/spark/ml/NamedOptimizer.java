package dev.kindling.spark.ml;

import dev.kindling.optim.Adagrad;
import dev.kindling.optim.Adam;
import dev.kindling.optim.AdamW;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.RMSprop;
import dev.kindling.optim.SGD;
import dev.kindling.spark.train.OptimizerFactory;
import dev.kindling.tensor.Tensor;

import java.util.List;

/**
 * The optimizer a Spark ML stage names by string ("adam", "adamw", "sgd", "rmsprop", "adagrad"),
 * with its learning rate, momentum (sgd and rmsprop only) and weight decay; a null weight decay
 * keeps the optimizer's PyTorch default (0.01 for AdamW, 0 for the others).
 */
record NamedOptimizer(String name, double lr, double momentum, Double weightDecay) implements OptimizerFactory {
    static final List<String> NAMES = List.of("adam", "adamw", "sgd", "rmsprop", "adagrad");

    NamedOptimizer {
        check(name, momentum);
    }

    /** Fails on an unknown name, or a momentum given to an optimizer that has none. */
    static void check(String name, double momentum) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("optimizer must be one of " + NAMES + " but got '" + name + "'");
        }
        if (momentum != 0 && !name.equals("sgd") && !name.equals("rmsprop")) {
            throw new IllegalArgumentException("momentum " + momentum + " applies to optimizer sgd or rmsprop, not " + name
                    + " (Adam-style optimizers use betas); leave momentum at 0");
        }
    }

    /** PyTorch's default weight decay of an optimizer. */
    static double defaultWeightDecay(String name) { return name.equals("adamw") ? 1e-2 : 0.0; }

    @Override
    public Optimizer apply(List<Tensor> params) {
        double wd = weightDecay != null ? weightDecay : defaultWeightDecay(name);
        return switch (name) {
            case "adam" -> new Adam(params, Adam.options().lr(lr).weightDecay(wd));
            case "adamw" -> new AdamW(params, AdamW.options().lr(lr).weightDecay(wd));
            case "sgd" -> new SGD(params, SGD.options(lr).momentum(momentum).weightDecay(wd));
            case "rmsprop" -> new RMSprop(params, RMSprop.options().lr(lr).momentum(momentum).weightDecay(wd));
            case "adagrad" -> new Adagrad(params, Adagrad.options().lr(lr).weightDecay(wd));
            default -> throw new IllegalStateException("unchecked optimizer name " + name);
        };
    }
}
