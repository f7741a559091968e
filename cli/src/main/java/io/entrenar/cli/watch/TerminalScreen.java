package io.entrenar.cli.watch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The terminal the dashboard draws on. Interactive: the alternate screen, a hidden cursor, keys read
 * one at a time without echo (stty through /bin/sh on the controlling terminal; no library), and
 * frames drawn by moving the cursor home and overwriting each line, so nothing flickers. Everything
 * is restored on close, also on Ctrl+C (a shutdown hook). Not interactive (a pipe or a file): frames
 * are printed one after another and no key is read.
 */
final class TerminalScreen implements AutoCloseable {
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final boolean interactive;
    private final String savedStty;
    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final Thread shutdownHook;
    private boolean closed;
    private boolean firstFrame = true;

    private TerminalScreen(PrintWriter out, boolean interactive, String savedStty) {
        this.out = out;
        this.interactive = interactive;
        this.savedStty = savedStty;
        this.shutdownHook = new Thread(this::restore, "entrenar-watch-terminal-restore");
    }

    /** Interactive when this process has a terminal; {@code forcePlain} prints frames as plain text anyway. */
    static TerminalScreen open(PrintWriter out, boolean forcePlain) {
        java.io.Console console = System.console();
        boolean tty = !forcePlain && console != null && console.isTerminal();
        if (!tty) {
            return new TerminalScreen(out, false, null);
        }
        String saved = stty("-g").strip();
        stty("-icanon -echo min 1");
        TerminalScreen screen = new TerminalScreen(out, true, saved);
        Runtime.getRuntime().addShutdownHook(screen.shutdownHook);
        out.print(ESC + "?1049h" + ESC + "?25l" + ESC + "H" + ESC + "2J");
        out.flush();
        Thread reader = new Thread(() -> screen.readKeys(System.in), "entrenar-watch-keys");
        reader.setDaemon(true);
        reader.start();
        return screen;
    }

    boolean interactive() {
        return interactive;
    }

    /** Columns of the terminal: stty size, else {@code $COLUMNS}, else 80. */
    int width() {
        if (interactive) {
            String[] size = stty("size").strip().split("\\s+");
            if (size.length == 2) {
                try {
                    return Integer.parseInt(size[1]);
                } catch (NumberFormatException ignored) {
                    // fall through to COLUMNS
                }
            }
        }
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80"));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** Draws a frame: interactive in place, otherwise appended with a blank line between frames. */
    void draw(List<String> lines) {
        StringBuilder b = new StringBuilder();
        if (interactive) {
            b.append(ESC).append('H');
            for (int i = 0; i < lines.size(); i++) {
                b.append(lines.get(i)).append(ESC).append('K');
                if (i < lines.size() - 1) {
                    b.append("\r\n");
                }
            }
            b.append(ESC).append('J');
        } else {
            if (!firstFrame) {
                b.append('\n');
            }
            lines.forEach(l -> b.append(l).append('\n'));
        }
        firstFrame = false;
        out.print(b);
        out.flush();
    }

    /** The next key pressed within {@code wait}, or null. */
    Integer nextKey(Duration wait) throws InterruptedException {
        if (!interactive) {
            Thread.sleep(wait.toMillis());
            return null;
        }
        return keys.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readKeys(InputStream in) {
        try {
            int c;
            while ((c = in.read()) >= 0) {
                keys.add(c);
            }
        } catch (IOException e) {
            // stdin closed: no more keys; q is then Ctrl+C
        }
    }

    private synchronized void restore() {
        if (closed) {
            return;
        }
        closed = true;
        if (interactive) {
            out.print(ESC + "?25h" + ESC + "?1049l");
            out.flush();
            stty(savedStty);
        }
    }

    @Override
    public void close() {
        restore();
        if (interactive) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs restore() again, which is a no-op now
            }
        }
    }

    /** Runs stty on the controlling terminal; its output, or "" when it fails. */
    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "stty " + args + " < /dev/tty").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
