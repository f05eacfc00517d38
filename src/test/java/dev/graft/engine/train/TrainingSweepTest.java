package dev.graft.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graft.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code train} works on what {@code predict} computes: one training step ({@link TrainingSweep}) on every DL4J fixture
 * and every model in samples/, and on fixtures of the layers whose training failed before (a Bidirectional concatenating
 * its halves' sequences, a Dropout between pooling and a Dense, categorical cross-entropy on a linear output, a PReLU
 * sharing its alpha over an image's rows and columns; and in the DL4J folder a zip's loss on every pixel and DL4J's Bidirectional on its own sequences), each either trains with a finite loss or is refused with one line naming the layer or
 * the reason; none fails. {@code bench/train-sweep.sh} runs the same over every fixture folder (the counts are in the
 * README); this is the part that stays fast.
 */
class TrainingSweepTest {
    /** Fixtures of the failures the sweep found, and what each does now. */
    private static final Map<String, String> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("keras/models/tfkeras__rnn_5.h5", TrainingSweep.Result.TRAINED);          // Bidirectional(LSTM) concatenating sequences
        NAMED.put("keras/models/tfkeras__rnn_9.h5", TrainingSweep.Result.TRAINED);          // Bidirectional(SimpleRNN), the same
        // DL4J's Bidirectional(LSTM) and Bidirectional(SimpleRnn) joined by a merge: the merge's axis was changed by reading
        NAMED.put("dl4j/regression_100b4/SyntheticBidirectionalRNNGraph_100b4.bin", TrainingSweep.Result.TRAINED);
        NAMED.put("keras/models/tfkeras__cnn1d_18.h5", TrainingSweep.Result.TRAINED);       // categorical_crossentropy on a linear Conv1D
        // the same on a Conv2D, through a SpatialDropout2D (rate 0.2) that drops whole channels (ChannelAxisDropout)
        NAMED.put("keras/models/tfkeras__cnn2d_41.h5", TrainingSweep.Result.TRAINED);
        NAMED.put("wild/conv1d_gap_k36.h5", TrainingSweep.Result.TRAINED);                  // Dropout between GlobalAveragePooling1D and Dense
        NAMED.put("keras/models/examples__12net.h5", TrainingSweep.Result.TRAINED);         // PReLU sharing alpha over rows and columns
        NAMED.put("keras/models/tfkeras__cnn_1d_doublecount.h5.h5", TrainingSweep.Result.TRAINED); // Flatten of a sequence as the output
        NAMED.put("keras/models/tfkeras__convlstm2d_0.h5", TrainingSweep.Result.TRAINED);   // Bidirectional(ConvLSTM2D): a merge of rank-5 tensors
    }

    @Test
    void everyDl4jFixtureAndSampleTrainsOrIsRefusedByNameAndTheNamedFailuresAreFixed() {
        Map<String, TrainingSweep.Result> results = new LinkedHashMap<>();
        results.putAll(TrainingSweep.sweep(Fixtures.root(), List.of("dl4j"), Path.of("samples")));
        results.putAll(TrainingSweep.sweep(Fixtures.root(), List.of("samples"), Path.of("samples")));
        for (String name : NAMED.keySet()) results.put(name, TrainingSweep.run(Fixtures.file(name)));
        List<String> problems = new ArrayList<>();
        results.forEach((name, r) -> {
            if (r.kind().equals(TrainingSweep.Result.FAILED)) problems.add(name + ": " + r);
            if (r.kind().equals(TrainingSweep.Result.REFUSED) && !r.detail().matches(".*(layer '[^']+'|\\.zip: ).*")) {
                problems.add(name + ": a refusal that names neither a layer nor the file: " + r);
            }
        });
        NAMED.forEach((name, kind) -> {
            if (!results.get(name).kind().equals(kind)) problems.add(name + ": expected " + kind + ", got " + results.get(name));
        });
        Map<String, Integer> counts = TrainingSweep.counts(results);
        System.out.println("training sweep (dl4j, samples, named): " + counts);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // dl4j: 18 train (every MLP, LSTM and CNN zip predict computes, the character model, both CSV sequence models: one
        // with DL4J's Bidirectional, the 1.0 CNN with a loss on every pixel, the 1.0 graph of two Bidirectionals); refused by
        // name: a variational autoencoder (no loss); every sample and named file trains: 39 in all
        assertTrue(counts.getOrDefault(TrainingSweep.Result.TRAINED, 0) >= 39, "trained: " + counts);
    }
}
