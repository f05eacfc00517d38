package dev.graft.cli;

import picocli.CommandLine.IVersionProvider;

/** Version string shared by {@code --version} and the provenance graft writes into files. */
public final class Version implements IVersionProvider {
    public static final String GRAFT_VERSION = dev.graft.GraftInfo.VERSION;

    @Override
    public String[] getVersion() {
        return new String[] {"graft " + GRAFT_VERSION};
    }
}
