package dev.loupe.cli;

import dev.loupe.api.InternalException;
import dev.loupe.report.PanelRegistry;
import dev.loupe.server.DashboardServer;
import dev.loupe.store.RunStore;
import dev.loupe.store.importers.LogWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code loupe serve}: the read-only dashboard over the run store. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the dashboard (read-only) over the run store until interrupted (Ctrl-C).",
                "Binds 127.0.0.1 by default. Any other --host needs the random access token printed at start"
                        + " (like Jupyter's) unless --no-token is given."},
        footer = {"", "Exit codes: 0 ok, 2 bad input, 1 internal error (e.g. the port is taken)."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Option(names = "--port", defaultValue = "7070", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--no-token", description = "Serve a non-loopback --host without an access token (anyone who can"
            + " reach the port can read every run).")
    boolean noToken;
    @Option(names = "--watch", paramLabel = "DIR", description = "Follow the training logs under DIR (repeatable) into the"
            + " store while serving, like 'loupe watch': the dashboard's curves of those runs grow live.")
    List<Path> watch = new ArrayList<>();
    @Mixin
    WatchCommand.Options watchOptions;

    @Override
    public Integer call() throws InterruptedException {
        // only following logs writes to the store; serving alone reads it (and works on a read-only store)
        if (port < 0 || port > 65535) {
            throw dev.loupe.api.InvalidInputException.parameter("port", "an integer in [0, 65535]", port);
        }
        RunStore s = watch.isEmpty() ? store.openReadOnly() : store.open();
        LogWatcher watcher = null;
        if (!watch.isEmpty()) {
            try {
                watcher = WatchCommand.start(s, watch, watchOptions.options(), spec.commandLine().getErr());
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
        return serve(s, host, port, noToken, spec.commandLine().getOut(), watcher);
    }

    static int serve(RunStore s, String host, int port, boolean noToken, PrintWriter out) throws InterruptedException {
        return serve(s, host, port, noToken, out, null);
    }

    /** Serves {@code s} read-only until the process is stopped; closes the store at shutdown. */
    static int serve(RunStore s, String host, int port, boolean noToken, PrintWriter out, AutoCloseable watcher)
            throws InterruptedException {
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            s.close();
            throw dev.loupe.api.InvalidInputException.parameter("host", "a host name or address", "'" + host + "'");
        }
        String token = loopback || noToken ? null : DashboardServer.newToken();
        DashboardServer server;
        try {
            server = DashboardServer.start(s, PanelRegistry.standard(), host, port, token, noToken);
        } catch (IOException e) {
            s.close();
            throw new InternalException("Cannot serve on " + host + ":" + port + ": " + e.getMessage()
                    + " (another program may hold the port: try --port 0)", e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM / Ctrl-C: bounded, so that a stuck request can never keep the process alive
            Thread closing = new Thread(() -> {
                server.close();
                if (watcher != null) {
                    try {
                        watcher.close();
                    } catch (Exception ignored) {
                        // stopping anyway
                    }
                }
                s.close();
            }, "loupe-serve-close");
            closing.setDaemon(true);
            closing.start();
            try {
                closing.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.countDown();
        }, "loupe-serve-shutdown"));
        out.println("Loupe dashboard: " + server.url());
        if (token != null) {
            out.println("The access token is in the URL; anyone with it can read every run.");
        }
        out.println("Serving the store " + s.location().redacted() + (watcher == null ? " read-only" : " (the watched logs"
                + " are imported into it)") + ". Press Ctrl-C to stop.");
        out.flush();
        stop.await();
        return 0;
    }
}
