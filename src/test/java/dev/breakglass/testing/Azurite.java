package dev.breakglass.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Azurite (the npm package, installed by the build into {@code .tools/azurite}) serving queues and
 * tables on free loopback ports, in memory, for one test JVM.
 */
public final class Azurite {

    /** Azurite's well-known development account; not a secret. */
    private static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static Azurite shared;

    private final Process process;
    private final int queuePort;
    private final int tablePort;

    private Azurite(Process process, int queuePort, int tablePort) {
        this.process = process;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    /** The JVM's Azurite, started on first use and stopped when the JVM exits. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
        }
        return shared;
    }

    /**
     * Integration tests run in two JVMs at once (Failsafe forkCount), each with its own Azurite: a port picked free can
     * be taken by the other before Azurite binds it, so a start that fails that way is tried again on new ports.
     */
    private static Azurite start() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return startOnFreePorts();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Azurite startOnFreePorts() {
        Path home = Path.of(System.getProperty("azurite.home", ".tools/azurite"));
        Path binary = home.resolve("node_modules/.bin/azurite");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Azurite is not installed at " + binary + "; run the build (mvn verify) "
                    + "or: npm install --prefix " + home + " azurite");
        }
        int blob = freePort();
        int queue = freePort();
        int table = freePort();
        try {
            Process process = new ProcessBuilder(List.of(binary.toString(), "--silent", "--inMemoryPersistence",
                    "--skipApiVersionCheck", "--disableProductStyleUrl",
                    "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(blob),
                    "--queueHost", "127.0.0.1", "--queuePort", String.valueOf(queue),
                    "--tableHost", "127.0.0.1", "--tablePort", String.valueOf(table)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            awaitListening(process, queue);
            awaitListening(process, table);
            return new Azurite(process, queue, table);
        } catch (IOException e) {
            throw new IllegalStateException("starting Azurite", e);
        }
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + ACCOUNT_KEY
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/devstoreaccount1"
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/devstoreaccount1;";
    }

    private static void awaitListening(Process process, int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        process.destroy();
        throw new IllegalStateException("Azurite did not listen on port " + port + " within 60 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
