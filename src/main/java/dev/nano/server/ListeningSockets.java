package dev.nano.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The TCP sockets listening on a port in this network namespace, as Linux lists them in /proc. */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** The inodes of the sockets listening on {@code port}, over IPv4 and IPv6; empty without /proc. */
    static Set<String> on(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st ... inode: "0: 0100007F:1F90 00000000:0000 0A ..."
                String[] column = line.trim().split("\\s+");
                String localAddress = column[1];
                int localPort = Integer.parseInt(localAddress.substring(localAddress.indexOf(':') + 1), 16);
                if (column[3].equals(LISTEN) && localPort == port) {
                    inodes.add(column[9]);
                }
            }
        }
        return inodes;
    }
}
