package dev.kindling.spark.ml;

import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.ObjectRef;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;
import org.apache.spark.connect.proto.WriteOperation;
import org.sparkproject.connect.grpc.ManagedChannel;
import org.sparkproject.connect.grpc.netty.NettyChannelBuilder;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Spark Connect client speaking the protocol's ML commands over gRPC, as PySpark's Connect
 * ML client does: fit an estimator named by class, transform with a cached model, write and read
 * models. Datasets are Parquet files read by the server; transform results are written by the
 * server to Parquet, so the test reads them with the classic API.
 */
final class ConnectMlClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
    private final String sessionId = UUID.randomUUID().toString();

    ConnectMlClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = SparkConnectServiceGrpc.newBlockingStub(channel);
    }

    /** Fits the estimator class on the Parquet data with the given params; returns the cached model's id. */
    String fit(String estimatorClass, Map<String, Expression.Literal> params, String parquet) {
        MlCommand fit = MlCommand.newBuilder().setFit(MlCommand.Fit.newBuilder()
                .setEstimator(operator(estimatorClass, MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
                .setParams(MlParams.newBuilder().putAllParams(params))
                .setDataset(parquet(parquet))).build();
        return run(fit).getOperatorInfo().getObjRef().getId();
    }

    /** Transforms the Parquet data with the cached model; the server writes the result to outParquet. */
    void transform(String modelId, String parquet, String outParquet) {
        Relation transformed = Relation.newBuilder().setMlRelation(MlRelation.newBuilder().setTransform(
                MlRelation.Transform.newBuilder().setObjRef(ObjectRef.newBuilder().setId(modelId)).setInput(parquet(parquet)))).build();
        execute(Command.newBuilder().setWriteOperation(WriteOperation.newBuilder().setInput(transformed).setSource("parquet")
                .setPath(outParquet).setMode(WriteOperation.SaveMode.SAVE_MODE_OVERWRITE)).build());
    }

    /** Saves the cached model at path (overwriting). */
    void write(String modelId, String path) {
        run(MlCommand.newBuilder().setWrite(MlCommand.Write.newBuilder().setObjRef(ObjectRef.newBuilder().setId(modelId))
                .setPath(path).setShouldOverwrite(true)).build());
    }

    /** Loads a saved model of the given class into the server's cache; returns its id. */
    String readModel(String modelClass, String path) {
        return run(MlCommand.newBuilder().setRead(MlCommand.Read.newBuilder()
                .setOperator(operator(modelClass, MlOperator.OperatorType.OPERATOR_TYPE_MODEL)).setPath(path)).build())
                .getOperatorInfo().getObjRef().getId();
    }

    static Expression.Literal string(String v) { return Expression.Literal.newBuilder().setString(v).build(); }

    static Expression.Literal integer(int v) { return Expression.Literal.newBuilder().setInteger(v).build(); }

    static Expression.Literal longValue(long v) { return Expression.Literal.newBuilder().setLong(v).build(); }

    static Expression.Literal doubleValue(double v) { return Expression.Literal.newBuilder().setDouble(v).build(); }

    private static MlOperator.Builder operator(String className, MlOperator.OperatorType type) {
        return MlOperator.newBuilder().setName(className).setUid(className.substring(className.lastIndexOf('.') + 1) + "_connect")
                .setType(type);
    }

    private static Relation parquet(String path) {
        return Relation.newBuilder().setRead(Read.newBuilder().setDataSource(
                Read.DataSource.newBuilder().setFormat("parquet").addPaths(path))).build();
    }

    private MlCommandResult run(MlCommand command) {
        MlCommandResult result = null;
        for (ExecutePlanResponse r : responses(Command.newBuilder().setMlCommand(command).build())) {
            if (r.hasMlCommandResult()) result = r.getMlCommandResult();
        }
        if (result == null) throw new IllegalStateException("the server sent no MlCommandResult for " + command.getCommandCase());
        return result;
    }

    private void execute(Command command) {
        for (ExecutePlanResponse ignored : responses(command)) {
            // drain: the write has happened when the stream completes
        }
    }

    private Iterable<ExecutePlanResponse> responses(Command command) {
        ExecutePlanRequest request = ExecutePlanRequest.newBuilder()
                .setSessionId(sessionId)
                .setUserContext(UserContext.newBuilder().setUserId("kindling-test"))
                .setClientType("kindling-test")
                .setPlan(Plan.newBuilder().setCommand(command))
                .build();
        Iterator<ExecutePlanResponse> it = stub.executePlan(request);
        return () -> it;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
