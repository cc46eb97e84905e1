package org.rumpmount.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** "rumpmount VERSION", the version written into a resource by the build. */
final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() throws IOException {
        return new String[] {"rumpmount " + version()};
    }

    static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " missing from the class path");
            }
            p.load(in);
        }
        String v = p.getProperty("version");
        if (v == null || v.startsWith("${")) {
            throw new IOException(RESOURCE + " was not filtered by the build: version=" + v);
        }
        return v;
    }
}
