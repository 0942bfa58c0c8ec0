package dev.kindling.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.ModelSpec;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Base64;

/**
 * The "model" param of Kindling's stages: a {@link ModelFactory}, saved in the stage's JSON
 * metadata as {@code {"spec": "Linear(4,16) ReLU Linear(16,3)"}} when it is a {@link ModelSpec},
 * else as {@code {"javaSerialized": "<base64>"}} (Java serialization, so the factory's class must
 * be on the classpath when it is read back). A factory that cannot be serialized fails at save
 * time, naming its class.
 */
final class ModelParam extends Param<ModelFactory> {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SPEC_PARAM = "modelSpec";

    ModelParam(Identifiable parent) {
        super(parent, "model", "the network: a layer spec such as \"Linear(4,16) ReLU Linear(16,3)\" or a ModelFactory");
    }

    /**
     * The companion "modelSpec" param: the network as a layer spec string. Stages keep a {@link ModelSpec}
     * there rather than in "model", because Spark Connect moves params as literals only: a client sets
     * it, and the server sends every param of a stage it reads back to the client.
     */
    static Param<String> specParam(Identifiable parent) {
        return new Param<>(parent, SPEC_PARAM, "the network as a layer spec such as \"Linear(4,16) ReLU Linear(16,3)\" "
                + "(what Spark Connect clients set); unset when model holds another ModelFactory", ModelParam::parses);
    }

    /** The factory a stage's params describe: model when set, else the parsed modelSpec, else null. */
    static ModelFactory resolve(Params stage, ModelParam model, Param<String> spec) {
        if (stage.isDefined(model)) return stage.getOrDefault(model);
        return stage.isDefined(spec) ? ModelSpec.parse(stage.getOrDefault(spec)) : null;
    }

    /** Validation of modelSpec: the parser's error, which names the bad layer, reaches the caller. */
    private static Object parses(String spec) {
        ModelSpec.parse(spec);
        return true;
    }

    @Override
    public String jsonEncode(ModelFactory value) {
        var node = JSON.createObjectNode();
        if (value instanceof ModelSpec spec) {
            node.put("spec", spec.text());
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            } catch (IOException e) {
                throw new IllegalArgumentException("param model: the model factory " + value.getClass().getName()
                        + " cannot be saved because Java serialization failed (" + e + "); use a layer spec string "
                        + "or a ModelFactory whose captured values are serializable", e);
            }
            node.put("javaSerialized", Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        return node.toString();
    }

    @Override
    public ModelFactory jsonDecode(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node.hasNonNull("spec")) return ModelSpec.parse(node.get("spec").asText());
            if (node.hasNonNull("javaSerialized")) {
                byte[] bytes = Base64.getDecoder().decode(node.get("javaSerialized").asText());
                try (ObjectInputStream in = new ContextClassLoaderInput(new ByteArrayInputStream(bytes))) {
                    return (ModelFactory) in.readObject();
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("param model: cannot read the saved model factory (" + e + ")", e);
        }
        throw new IllegalArgumentException("param model: expected a JSON object with \"spec\" or \"javaSerialized\" but got " + json);
    }

    /** Resolves classes through the thread's context class loader, as Spark loads user classes. */
    private static final class ContextClassLoaderInput extends ObjectInputStream {
        ContextClassLoaderInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall back to the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }
}
