/**
 * The command line: picocli commands that parse options, call one use case of {@code triplicate.app}, and print
 * through the command's writer (plain text, or JSON with {@code --json}). Owns exit codes and terminal progress.
 */
package triplicate.cli;
