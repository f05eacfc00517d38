import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;

/** The baseline of bench/inspect.sh: DL4J's own import of a Keras file, in a fresh JVM. */
public class ImportBaseline {
    public static void main(String[] args) throws Exception {
        var graph = KerasModelImport.importKerasModelAndWeights(args[0], false);
        System.out.println(graph.numParams());
    }
}
