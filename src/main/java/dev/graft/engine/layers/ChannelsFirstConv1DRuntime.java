package dev.graft.engine.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The computing side of {@link ChannelsFirstConv1DLayer}: DL4J's own Conv1D, forward and backward,
 * always on {@code [batch, channels, steps]}. DL4J's runtime takes the layout from its configuration,
 * which for this layer states the importer's NWC description of sequences (see
 * {@link ChannelsFirstConv1DLayer}); so this layer reads an NCW copy of that configuration instead.
 */
public class ChannelsFirstConv1DRuntime extends org.deeplearning4j.nn.layers.convolution.Convolution1DLayer {
    // Not initialised in their declarations: DL4J's constructors already call layerConf(), before
    // this class's initialisers would run (and reset them).
    private Convolution1DLayer declared;
    private Convolution1DLayer computing;

    public ChannelsFirstConv1DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Convolution1DLayer layerConf() {
        Convolution1DLayer current = super.layerConf();
        if (current != declared) {
            Convolution1DLayer ncw = (Convolution1DLayer) current.clone();
            ncw.setRnnDataFormat(RNNFormat.NCW);
            ncw.setCnn2dDataFormat(CNN2DFormat.NCHW);
            computing = ncw;
            declared = current;
        }
        return computing;
    }
}
