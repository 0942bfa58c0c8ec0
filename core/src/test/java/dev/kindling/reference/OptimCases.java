package dev.kindling.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.optim.Adagrad;
import dev.kindling.optim.Adam;
import dev.kindling.optim.AdamW;
import dev.kindling.optim.CosineAnnealingLR;
import dev.kindling.optim.ExponentialLR;
import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.LinearLR;
import dev.kindling.optim.MultiStepLR;
import dev.kindling.optim.OneCycleLR;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.RMSprop;
import dev.kindling.optim.SGD;
import dev.kindling.optim.StepLR;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;

/**
 * Replays optimizer cases (set each step's gradient, step, compare the parameter with PyTorch's
 * trajectory) and lr-scheduler cases (an SGD at base_lr; after each optimizer.step() and
 * scheduler.step() the learning rate must match).
 */
final class OptimCases {
    private OptimCases() {}

    static String run(ReferenceFile.Case c) {
        UsedKwargs kw = UsedKwargs.of(c.kwargs());
        String problem = c.op().equals("optimizer") ? optimizer(c, kw) : scheduler(c, kw);
        if (problem == null && !kw.unread().isEmpty()) return "kwargs the port does not read: " + kw.unread();
        return problem;
    }

    private static double dbl(JsonNode kw, String key, double dflt) {
        return kw.hasNonNull(key) ? kw.get(key).asDouble() : dflt;
    }

    static Optimizer build(JsonNode kw, List<Tensor> params) {
        String name = kw.path("optimizer").asText(kw.path("name").asText());
        return switch (name) {
            case "SGD" -> new SGD(params, SGD.options(dbl(kw, "lr", 0.001)).momentum(dbl(kw, "momentum", 0))
                    .dampening(dbl(kw, "dampening", 0)).weightDecay(dbl(kw, "weight_decay", 0))
                    .nesterov(kw.path("nesterov").asBoolean(false)).maximize(kw.path("maximize").asBoolean(false)));
            case "Adam", "AdamW" -> {
                Adam.Options o = (name.equals("Adam") ? Adam.options() : AdamW.options()).lr(dbl(kw, "lr", 1e-3))
                        .eps(dbl(kw, "eps", 1e-8)).amsgrad(kw.path("amsgrad").asBoolean(false))
                        .maximize(kw.path("maximize").asBoolean(false));
                if (kw.hasNonNull("weight_decay")) o.weightDecay(kw.get("weight_decay").asDouble());
                if (kw.hasNonNull("betas")) o.betas(kw.get("betas").get(0).asDouble(), kw.get("betas").get(1).asDouble());
                yield name.equals("Adam") ? new Adam(params, o) : new AdamW(params, o);
            }
            case "RMSprop" -> new RMSprop(params, RMSprop.options().lr(dbl(kw, "lr", 1e-2)).alpha(dbl(kw, "alpha", 0.99))
                    .eps(dbl(kw, "eps", 1e-8)).weightDecay(dbl(kw, "weight_decay", 0)).momentum(dbl(kw, "momentum", 0))
                    .centered(kw.path("centered").asBoolean(false)));
            case "Adagrad" -> new Adagrad(params, Adagrad.options().lr(dbl(kw, "lr", 1e-2)).lrDecay(dbl(kw, "lr_decay", 0))
                    .weightDecay(dbl(kw, "weight_decay", 0)).eps(dbl(kw, "eps", 1e-10))
                    .initialAccumulatorValue(dbl(kw, "initial_accumulator_value", 0)));
            default -> throw new ReferenceRunner.Skip("no optimizer '" + name + "'");
        };
    }

    private static String optimizer(ReferenceFile.Case c, JsonNode kw) {
        Tensor p = c.inputs().get(0).clone().requiresGrad_(true);
        Optimizer opt = build(kw, List.of(p));
        JsonNode grads = c.raw().get("gradients");
        JsonNode traj = c.raw().get("trajectory");
        for (int k = 0; k < grads.size(); k++) {
            p.setGrad(ReferenceFile.tensor(grads.get(k)));
            opt.step();
            String d = ReferenceRunner.compare("step " + k, p.detach(), ReferenceFile.tensor(traj.get(k)));
            if (d != null) return d;
        }
        return null;
    }

    private static String scheduler(ReferenceFile.Case c, JsonNode kw) {
        Tensor p = Tensors.zeros(1).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), dbl(kw, "base_lr", 0.1));
        LRScheduler s = switch (kw.path("scheduler").asText()) {
            case "StepLR" -> new StepLR(opt, kw.get("step_size").asInt(), dbl(kw, "gamma", 0.1));
            case "MultiStepLR" -> new MultiStepLR(opt, ReferenceFile.ints(kw.get("milestones")), dbl(kw, "gamma", 0.1));
            case "ExponentialLR" -> new ExponentialLR(opt, kw.get("gamma").asDouble());
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, kw.get("T_max").asInt(), dbl(kw, "eta_min", 0));
            case "OneCycleLR" -> new OneCycleLR(opt, kw.get("max_lr").asDouble(), kw.get("total_steps").asInt());
            case "LinearLR" -> new LinearLR(opt, dbl(kw, "start_factor", 1.0 / 3), dbl(kw, "end_factor", 1.0), kw.path("total_iters").asInt(5));
            default -> throw new ReferenceRunner.Skip("no scheduler '" + kw.path("scheduler").asText() + "'");
        };
        JsonNode lrs = c.raw().get("lrs");
        for (int k = 0; k < lrs.size(); k++) {
            p.setGrad(Tensors.zeros(1));
            opt.step();
            s.step();
            double lr = opt.paramGroups().get(0).lr();
            double e = lrs.get(k).asDouble();
            if (Math.abs(lr - e) > 1e-12 + 1e-9 * Math.abs(e)) return "step " + k + ": lr " + lr + " but expected " + e;
        }
        return null;
    }
}
