package triplicate.cli;

import java.io.Console;

/** Whether we talk to a person at a terminal (prompts and progress bars) or to a script. */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+: a console object exists even when redirected; ask whether it is a terminal
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
